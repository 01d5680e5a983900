// Half-open link detection (BAD-INPUTS #50): after `idleMs` of silence, probe with XEP-0198 <r/>
// (https://xmpp.org/extensions/xep-0198.html §4) or XEP-0199 ping (https://xmpp.org/extensions/xep-0199.html §4.2);
// if nothing at all arrives within `timeoutMs` of the probe, the link is dead.

export interface KeepaliveOptions {
  readonly idleMs: number;
  readonly timeoutMs: number;
  /** When the last frame arrived (`performance.now()` clock). */
  lastReceived(): number;
  /** Sends one probe; anything received afterwards proves the link alive. */
  probe(): void;
  /** The link is dead: drop it and reconnect. */
  dead(): void;
}

/** Starts watching; returns a stop function. `idleMs <= 0` disables it. */
export function startKeepalive(opts: KeepaliveOptions): () => void {
  if (opts.idleMs <= 0) return () => undefined;
  let probedAt: number | undefined;
  const tick = (): void => {
    const now = performance.now();
    const last = opts.lastReceived();
    if (probedAt !== undefined) {
      if (last >= probedAt) probedAt = undefined;
      else if (now - probedAt >= opts.timeoutMs) return void (stop(), opts.dead());
      else return;
    }
    if (now - last >= opts.idleMs) {
      probedAt = now;
      opts.probe();
    }
  };
  const timer = setInterval(tick, Math.max(50, Math.min(opts.idleMs, opts.timeoutMs) / 4));
  const stop = (): void => clearInterval(timer);
  return stop;
}
