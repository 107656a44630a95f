import { DataError } from './errors.js';

/**
 * What a model exposes so that users it has never seen can be scored: a user given by their history
 * ({@link UserHistory}), and, for dot-product models, the frozen item side of the score
 * ({@link ItemFactors}) against which a new user's vector is solved by fold-in (see `fold-in.ts`).
 */

/**
 * A user known only by what they rated: dense item indices and the RAW values aligned with them (ratings
 * on the model's scale, or 1s for implicit feedback). Models that centre ratings do it themselves.
 */
export interface UserHistory {
  readonly items: Int32Array;
  readonly values: Float32Array;
}

/**
 * What a score means: `logit` for implicit-feedback models (BCE / BPR: ranks by preference, `σ(score)` is
 * a probability for BCE), `rating` for models trained on ratings with squared error.
 */
export type ScoreOutput = 'logit' | 'rating';

/**
 * The item side of a dot-product model, such that the model's score of user `u` and item `i` is exactly
 *
 *     score(u, i) = p_u · vectors[i] + (userBias ? b_u : 0) + (bias ? bias[i] : 0) + (offset ?? 0)
 *
 * for the model's own user vector `p_u` (and user bias `b_u`). Fold-in solves `p_u` (and `b_u`) for a new
 * user against these frozen values, so the result is scored on the model's own scale.
 */
export interface ItemFactors {
  /** Length of each item vector (and of a user vector). */
  readonly dim: number;
  /** `numItems × dim` values, row-major: item `i`'s effective vector is `vectors[i*dim .. (i+1)*dim)`. */
  readonly vectors: Float32Array;
  /** Per-item additive term (`numItems` values), when the model has one. */
  readonly bias?: Float32Array;
  /** Global additive term (e.g. a global bias or an output layer's bias). Default 0. */
  readonly offset?: number;
  /** Whether the score has a per-user additive bias `b_u` (fold-in then solves it too). */
  readonly userBias: boolean;
  /** What the score means, which decides the fold-in: least squares for ratings, logistic for logits. */
  readonly output: ScoreOutput;
}

/** A user on the scale of some {@link ItemFactors}: a vector of length `dim` and, when the model has one, a bias. */
export interface UserFactors {
  readonly vector: Float32Array;
  /** The user's additive bias; 0 (or absent) when the model has none. */
  readonly bias?: number;
}

/** Number of items of `factors`, checking that the arrays agree (DataError naming the field otherwise). */
export function itemFactorsNumItems(factors: ItemFactors): number {
  const { dim, vectors, bias } = factors;
  if (!Number.isInteger(dim) || dim < 1 || vectors.length % dim !== 0) {
    throw new DataError(
      `itemFactors: vectors has ${vectors.length} values, not a multiple of dim = ${dim} (expected numItems × dim)`,
    );
  }
  const n = vectors.length / dim;
  if (bias && bias.length !== n) {
    throw new DataError(`itemFactors: bias has ${bias.length} values, expected one per item (${n})`);
  }
  return n;
}

/**
 * Scores of `items` (default every item, in index order) for `user` under `factors`, with the formula of
 * {@link ItemFactors}. Accumulates in float64 and rounds once to float32.
 */
export function scoreWithItemFactors(
  factors: ItemFactors,
  user: UserFactors,
  items?: Int32Array,
): Float32Array {
  const numItems = itemFactorsNumItems(factors);
  const { dim, vectors, bias } = factors;
  if (user.vector.length !== dim) {
    throw new DataError(`user vector has ${user.vector.length} values, expected dim = ${dim}`);
  }
  const base = (factors.offset ?? 0) + (factors.userBias ? (user.bias ?? 0) : 0);
  const count = items ? items.length : numItems;
  const out = new Float32Array(count);
  const u = user.vector;
  for (let r = 0; r < count; r++) {
    const i = items ? (items[r] as number) : r;
    if (items && !(i >= 0 && i < numItems)) {
      throw new DataError(`items[${r}] = ${i} is not a dense item index in [0, ${numItems})`);
    }
    let s = base + (bias ? (bias[i] as number) : 0);
    const o = i * dim;
    for (let k = 0; k < dim; k++) s += (u[k] as number) * (vectors[o + k] as number);
    out[r] = s;
  }
  return out;
}

/**
 * Checks a history against a catalog of `numItems`: equal lengths, dense item indices in range, no item
 * twice, finite values. Throws DataError naming the entry.
 */
export function checkUserHistory(history: UserHistory, numItems: number): void {
  const { items, values } = history;
  if (items.length !== values.length) {
    throw new DataError(
      `history.items has ${items.length} entries but history.values has ${values.length}; expected aligned arrays`,
    );
  }
  const seen = new Set<number>();
  for (let r = 0; r < items.length; r++) {
    const i = items[r] as number;
    if (!(i >= 0 && i < numItems)) {
      throw new DataError(`history.items[${r}] = ${i} is not a dense item index in [0, ${numItems})`);
    }
    if (seen.has(i)) throw new DataError(`history.items[${r}] = ${i} appears twice; expected each item once`);
    seen.add(i);
    if (!Number.isFinite(values[r] as number)) {
      throw new DataError(`history.values[${r}] = ${values[r]} (item ${i}) is not a finite number`);
    }
  }
}
