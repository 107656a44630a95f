/**
 * Discounted cumulative gain and its normalised forms (Järvelin & Kekäläinen, "Cumulated gain-based
 * evaluation of IR techniques", TOIS 2002). The discount of 0-based rank `r` is `1 / log2(r + 2)`.
 */

/** How a graded relevance value becomes a gain. */
export type GainKind = 'linear' | 'exponential';

/** The gain of relevance `rel`: `rel` (linear) or `2^rel − 1` (exponential, Burges et al., ICML 2005). */
export function gainOf(rel: number, kind: GainKind = 'linear'): number {
  return kind === 'linear' ? rel : 2 ** rel - 1;
}

/**
 * DCG at K of a ranked list of gains (already transformed by {@link gainOf} when graded): `Σ_{r<k} g_r / log2(r+2)`.
 */
export function dcg(gains: ArrayLike<number>, k: number): number {
  const n = Math.min(k, gains.length);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const g = gains[r] as number;
    if (g !== 0) sum += g / Math.log2(r + 2);
  }
  return sum;
}

/**
 * Binary NDCG at K: DCG of the 0/1 relevance of the ranked items over the ideal DCG of
 * `min(numRelevant, k)` relevant items at the top (the peer's definition). Returns 0 when `numRelevant` is 0.
 *
 * @param gains - relevance of the ranked items, best first (`> 0` means relevant; values are read as 0/1).
 * @param k - cut-off, a positive integer.
 * @param numRelevant - the user's number of relevant (held-out) items.
 */
export function ndcg(gains: ArrayLike<number>, k: number, numRelevant: number): number {
  if (numRelevant <= 0) return 0;
  const n = Math.min(k, gains.length);
  let sum = 0;
  for (let r = 0; r < n; r++) if ((gains[r] as number) > 0) sum += 1 / Math.log2(r + 2);
  let ideal = 0;
  const m = Math.min(numRelevant, k);
  for (let r = 0; r < m; r++) ideal += 1 / Math.log2(r + 2);
  return sum / ideal;
}

/**
 * Graded NDCG at K: `DCG@k(gains) / DCG@k(idealGains)`, where `idealGains` are the gains of every relevant
 * item of the user sorted in decreasing order (so relevant items that were not ranked still count in the
 * ideal). Returns 0 when the ideal DCG is 0.
 */
export function gradedNdcg(gains: ArrayLike<number>, idealGains: ArrayLike<number>, k: number): number {
  const ideal = dcg(idealGains, k);
  return ideal > 0 ? dcg(gains, k) / ideal : 0;
}

/**
 * Min-max "adjusted" NDCG at K: `(DCG − worst) / (ideal − worst)`, where `ideal` is the DCG@k of the gains in
 * decreasing order and `worst` the DCG@k of the same gains in increasing order. Used by the seed-parity
 * protocol, where every ranked item is one of the user's rated items, so the plain NDCG has a floor well
 * above 0; the adjusted form maps the worst possible order to 0 and the best to 1.
 * Returns `NaN` when `ideal === worst` (all gains equal: every order is as good as any other).
 *
 * @param gains - gains of the user's items in the model's order.
 * @param k - cut-off, a positive integer.
 */
export function adjustedNdcg(gains: ArrayLike<number>, k: number): number {
  const sorted = Float64Array.from(gains).sort();
  const best = Float64Array.from(sorted).reverse();
  const ideal = dcg(best, k);
  const worst = dcg(sorted, k);
  if (!(ideal > worst)) return Number.NaN;
  return (dcg(gains, k) - worst) / (ideal - worst);
}
