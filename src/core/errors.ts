/**
 * Typed errors. Every failure impp-kit reports is an {@link ImppError} with a stable
 * `code`; messages say what happened and what to do about it.
 * @module
 */

/** Stable error codes, grouped by layer (`layer/what`). Never renamed once released. */
export type ImppErrorCode =
  | 'address/invalid'
  | 'codec/not-well-formed'
  | 'codec/restricted-xml'
  | 'codec/too-large'
  | 'codec/invalid-pidf'
  | 'codec/invalid-cpim'
  | 'codec/must-understand'
  | 'codec/invalid-header'
  | 'transport/closed'
  | 'transport/server-shutdown'
  | 'transport/unreachable'
  | 'transport/timeout'
  | 'transport/policy-violation'
  | 'transport/stream-error'
  | 'transport/unsupported'
  | 'auth/not-authorized'
  | 'auth/mechanism-unavailable'
  | 'auth/credentials-required'
  | 'message/too-large'
  | 'message/empty'
  | 'recipient/unknown'
  | 'recipient/unavailable'
  | 'presence/forbidden'
  | 'storage/quota-exceeded'
  | 'storage/unavailable'
  | 'client/disconnected'
  | 'client/invalid-argument'
  | 'component/invalid-attribute'
  | 'component/no-client'
  | 'component/load-failed';

/** Options accepted by {@link ImppError}. */
export interface ImppErrorOptions {
  /** The lower-level error or value that caused this one. */
  cause?: unknown;
}

/**
 * The base class of every error impp-kit throws or reports on `errors$`.
 *
 * @example
 * ```ts
 * try { parseAddress('im:nobody'); }
 * catch (e) { if (e instanceof ImppError && e.code === 'address/invalid') showHint(e.message); }
 * ```
 */
export class ImppError extends Error {
  override name = 'ImppError';
  /** Stable machine-readable code, e.g. `'address/invalid'`. */
  readonly code: ImppErrorCode;

  constructor(code: ImppErrorCode, message: string, options: ImppErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
  }

  /** True when `value` is an ImppError, optionally with the given code. */
  static is(value: unknown, code?: ImppErrorCode): value is ImppError {
    return value instanceof ImppError && (code === undefined || value.code === code);
  }

  /** Wraps anything thrown into an ImppError, keeping an existing one as is. */
  static from(value: unknown, code: ImppErrorCode, message: string): ImppError {
    return value instanceof ImppError ? value : new ImppError(code, message, { cause: value });
  }
}

/** Errors from the pure codecs (addresses excepted): XML, PIDF, CPIM. */
export class CodecError extends ImppError {
  override name = 'CodecError';
}

/** Errors from a transport: socket, stream, authentication. */
export class TransportError extends ImppError {
  override name = 'TransportError';
}
