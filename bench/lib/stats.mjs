// Order statistics for benchmark samples (nearest-rank percentiles, no interpolation).
/** @param {number[]} xs @param {number} p 0..100 */
export function percentile(xs, p) {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Median, p95, mean, min, max and count of `xs`. */
export function summarize(xs) {
  const n = xs.length;
  if (n === 0) return { n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  return { n, median: percentile(xs, 50), p95: percentile(xs, 95), mean, min: Math.min(...xs), max: Math.max(...xs) };
}

/** Rounds to `d` decimals (undefined stays undefined). */
export const round = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? undefined : Math.round(x * 10 ** d) / 10 ** d);
