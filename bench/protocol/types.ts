// The small surface every library adapter implements, so one harness drives them all.

/** One signed-in client of the library under test. */
export interface BenchClient {
  /** Our full JID as the server bound it. */
  readonly jid: string;
  /** Sends a one-to-one chat message. */
  send(to: string, body: string): void;
  /** Calls `cb` for every inbound chat message with a body. */
  onMessage(cb: (from: string, body: string) => void): void;
  /** Broadcasts available presence with this status text (RFC 6121 §4.2). */
  setPresence(status: string): void | Promise<void>;
  /** Closes the stream cleanly. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  readonly service: string;
  readonly jid: string;
  readonly password: string;
  readonly resource?: string;
  /** Send initial presence after binding (needed to receive messages sent to the bare JID). */
  readonly presence?: boolean;
}

/** A library under test. */
export interface BenchLibrary {
  readonly name: string;
  /** Resolves once the library reports the session online. */
  connect(o: ConnectOptions): Promise<BenchClient>;
  /** Notes shown in the report (mechanism used, features on by default, caveats). */
  notes(): string[];
}
