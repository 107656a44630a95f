/**
 * Hit rate at K (HR@K): 1 when at least one relevant item is among the first `k` ranked items, else 0.
 * Averaged over users it is the fraction of users with a hit (He et al., "Neural Collaborative
 * Filtering", WWW 2017, §4.1, with one held-out item per user).
 *
 * @param gains - relevance of the ranked items, best first (`> 0` means relevant); only the first `k` are read.
 * @param k - cut-off, a positive integer.
 */
export function hitRate(gains: ArrayLike<number>, k: number): number {
  const n = Math.min(k, gains.length);
  for (let r = 0; r < n; r++) if ((gains[r] as number) > 0) return 1;
  return 0;
}
