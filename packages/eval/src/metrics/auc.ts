/**
 * Area under the ROC curve of one user's scores: the probability that a relevant item scores above a
 * non-relevant one (Mann–Whitney U / (n₊ n₋); Hanley & McNeil, Radiology 1982). Tied pairs count ½, so a
 * constant scorer gets exactly 0.5 (chance), never more.
 *
 * `O((n₊ + n₋) log(n₊ + n₋))`. Returns `NaN` when either side is empty.
 *
 * @param positive - scores of the relevant items.
 * @param negative - scores of the non-relevant items.
 */
export function auc(positive: ArrayLike<number>, negative: ArrayLike<number>): number {
  const np = positive.length;
  const nn = negative.length;
  if (np === 0 || nn === 0) return Number.NaN;
  const neg = Float64Array.from(negative).sort();
  let sum = 0;
  for (let p = 0; p < np; p++) {
    const s = positive[p] as number;
    const below = lowerBound(neg, s);
    const notAbove = upperBound(neg, s);
    sum += below + 0.5 * (notAbove - below);
  }
  return sum / (np * nn);
}

/**
 * AUC from counts: for one relevant item, `below` non-relevant items score strictly lower and `ties` score
 * equal, out of `total` non-relevant items. Ties count ½.
 */
export function aucFromCounts(below: number, ties: number, total: number): number {
  return total > 0 ? (below + 0.5 * ties) / total : Number.NaN;
}

function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
