/**
 * Reciprocal rank at K (averaged over users: MRR@K): `1 / rank` of the first relevant item (ranks are
 * 1-based) when it is among the first `k`, else 0 (Voorhees, TREC-8 QA track, 1999).
 *
 * @param gains - relevance of the ranked items, best first (`> 0` means relevant).
 * @param k - cut-off, a positive integer.
 */
export function reciprocalRank(gains: ArrayLike<number>, k: number): number {
  const n = Math.min(k, gains.length);
  for (let r = 0; r < n; r++) if ((gains[r] as number) > 0) return 1 / (r + 1);
  return 0;
}
