/**
 * Precision at K: the number of relevant items among the first `k` ranked items, divided by `k` (always `k`,
 * also when fewer than `k` items were ranked, so a short list is not rewarded).
 *
 * @param gains - relevance of the ranked items, best first (`> 0` means relevant).
 * @param k - cut-off, a positive integer.
 */
export function precision(gains: ArrayLike<number>, k: number): number {
  const n = Math.min(k, gains.length);
  let hits = 0;
  for (let r = 0; r < n; r++) if ((gains[r] as number) > 0) hits++;
  return hits / k;
}
