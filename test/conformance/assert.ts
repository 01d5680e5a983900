// A tiny, framework-neutral assertion helper for the conformance suite: plain thrown Errors,
// so the same cases run under node:test, mocha in Chromium, or anything else.
import { ImppError, type ImppErrorCode } from '../../src/core/errors.js';

/** Throws when `condition` is falsy. */
export function ok(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}

/** Strict equality (`Object.is`). */
export function equal<T>(actual: T, expected: T, message: string): void {
  if (!Object.is(actual, expected)) throw new Error(`${message}: expected ${show(expected)}, got ${show(actual)}`);
}

/** Structural equality of plain data (JSON view: functions and undefined fields are ignored). */
export function deepEqual(actual: unknown, expected: unknown, message: string): void {
  const a = show(actual), e = show(expected);
  if (a !== e) throw new Error(`${message}:\n  expected ${e}\n  got      ${a}`);
}

/** Awaits `promise` and checks it rejected with an ImppError of `code`. */
export async function rejectsWith(promise: Promise<unknown>, code: ImppErrorCode, message: string): Promise<ImppError> {
  try {
    await promise;
  } catch (e) {
    if (ImppError.is(e, code)) return e;
    throw new Error(`${message}: expected ImppError ${code}, got ${e instanceof Error ? `${e.name} ${(e as { code?: string }).code ?? ''} ${e.message}` : show(e)}`);
  }
  throw new Error(`${message}: expected a rejection with ${code}, but it resolved`);
}

/** JSON with sorted keys, so that field order never matters. */
export function show(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v,
  ) ?? 'undefined';
}
