// Summary statistics the suites report over seeds and repeated timings (one copy instead of one per suite).

/** Arithmetic mean; NaN for no values. */
export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n − 1 in the denominator); 0 for fewer than two values. */
export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

/** Median (the mean of the two middle values for an even count); NaN for no values. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** `mean ± sample std` with four decimals, e.g. `0.6791 ± 0.0042`. */
export function meanPlusMinus(xs: readonly number[]): string {
  return `${mean(xs).toFixed(4)} ± ${sampleStd(xs).toFixed(4)}`;
}
