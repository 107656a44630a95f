/**
 * Average precision at K (averaged over users: MAP@K): the mean of precision@r over the ranks `r ≤ k` that
 * hold a relevant item, normalised by `min(numRelevant, k)` so a perfect top-K scores 1
 * (Manning, Raghavan & Schütze, "Introduction to Information Retrieval", 2008, §8.4).
 * Returns 0 when `numRelevant` is 0.
 *
 * @param gains - relevance of the ranked items, best first (`> 0` means relevant).
 * @param k - cut-off, a positive integer.
 * @param numRelevant - the user's number of relevant (held-out) items.
 */
export function averagePrecision(gains: ArrayLike<number>, k: number, numRelevant: number): number {
  if (numRelevant <= 0) return 0;
  const n = Math.min(k, gains.length);
  let hits = 0;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    if ((gains[r] as number) > 0) {
      hits++;
      sum += hits / (r + 1);
    }
  }
  return sum / Math.min(numRelevant, k);
}
