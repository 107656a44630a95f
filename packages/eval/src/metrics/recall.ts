/**
 * Recall at K: the number of relevant items among the first `k` ranked items, divided by the user's number
 * of relevant items `numRelevant` (all of them, not capped at `k`, as in the peer implementation).
 * Returns 0 when `numRelevant` is 0.
 *
 * @param gains - relevance of the ranked items, best first (`> 0` means relevant).
 * @param k - cut-off, a positive integer.
 * @param numRelevant - the user's number of relevant (held-out) items.
 */
export function recall(gains: ArrayLike<number>, k: number, numRelevant: number): number {
  if (numRelevant <= 0) return 0;
  const n = Math.min(k, gains.length);
  let hits = 0;
  for (let r = 0; r < n; r++) if ((gains[r] as number) > 0) hits++;
  return hits / numRelevant;
}
