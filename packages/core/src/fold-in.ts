import { ConfigError, DataError } from './errors.js';
import { checkUserHistory, itemFactorsNumItems } from './item-factors.js';
import type { ItemFactors, UserFactors, UserHistory } from './item-factors.js';

/**
 * Fold-in: the vector (and bias) of a user the model never saw, solved from their history against the
 * model's frozen {@link ItemFactors}, so any dot-product model (MF, GMF, LightGCN) scores new users without
 * retraining. Pure TypeScript on typed arrays, float64 accumulation. With `D = dim (+1 with a user bias)`,
 * a rating fold-in costs `O(|history|·D² + D³)` and a logit fold-in `O(steps·numItems·D²/2)` (typically 5
 * Newton steps: ~40M multiply-adds for 3,706 items and 64 factors).
 *
 * - `rating` models (squared error): the ALS user step — ridge regression of the user's ratings minus the
 *   item biases and offset onto the item vectors, `(XᵀX + λI) w = Xᵀy` with `X` the history items' vectors
 *   (plus a column of ones when the model has a user bias), solved by Cholesky. This is the closed-form
 *   fold-in of Hu, Koren & Volinsky, "Collaborative Filtering for Implicit Feedback Datasets" (ICDM 2008,
 *   §4: the user factor given fixed item factors) and of ALS for ratings (Zhou et al., "Large-scale Parallel
 *   Collaborative Filtering for the Netflix Prize", 2008).
 * - `logit` models (BCE / BPR): L2-regularised logistic regression with the history items as positives and
 *   every other item as a negative, the negatives weighted so that their total weight is
 *   `negativesPerPositive × |history|` (the sampled-negative ratio of training), minimised by Newton's method
 *   (iteratively reweighted least squares) with step halving, from `w = 0`.
 */

/** Options of {@link foldInUser}. */
export interface FoldInOptions {
  /**
   * L2 strength λ on the user vector and bias. Ratings: `Σ (r_i − ŝ_i)² + λ‖w‖²`; logits:
   * `Σ c_i·BCE(ŝ_i, y_i) + (λ/2)‖w‖²`. Default {@link FOLD_IN_DEFAULTS}`.ratingL2` or `.logitL2`.
   */
  readonly l2?: number;
  /** Logit models: total negative weight per positive. Default 4 (the training default of sampled negatives). */
  readonly negativesPerPositive?: number;
  /** Logit models: most Newton steps. Default 25. */
  readonly newtonSteps?: number;
  /** Logit models: stop when the largest step component is below this. Default 1e-7. */
  readonly tolerance?: number;
}

/**
 * Defaults of {@link FoldInOptions}. λ = 0.1 for ratings (in squared rating units: a light pull towards the
 * item-bias-only prediction for users with a handful of ratings); λ = 1 for logits (keeps the user vector
 * bounded when the history is separable from the rest of the catalog, which it always is for a few items).
 */
export const FOLD_IN_DEFAULTS = Object.freeze({
  ratingL2: 0.1,
  logitL2: 1,
  negativesPerPositive: 4,
  newtonSteps: 25,
  tolerance: 1e-7,
});

function requireNonNegative(value: number, field: string): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new ConfigError(`fold-in ${field} must be a finite number ≥ 0, got ${value}`, field);
  }
  return value;
}

/**
 * Solves a user for `factors` from `history` (dense items, raw values): least squares for `rating` models,
 * logistic Newton for `logit` models (see the file header). The history's values are the user's ratings for
 * `rating` models and are ignored for `logit` models (every history item is a positive, as in training).
 * Throws DataError for a malformed history, ConfigError for bad options.
 */
export function foldInUser(
  factors: ItemFactors,
  history: UserHistory,
  options: FoldInOptions = {},
): UserFactors {
  const numItems = itemFactorsNumItems(factors);
  checkUserHistory(history, numItems);
  if (factors.output === 'rating') {
    const l2 = requireNonNegative(options.l2 ?? FOLD_IN_DEFAULTS.ratingL2, 'l2');
    return foldInRatings(factors, history, l2);
  }
  return foldInLogistic(factors, history, {
    l2: requireNonNegative(options.l2 ?? FOLD_IN_DEFAULTS.logitL2, 'l2'),
    negativesPerPositive: requireNonNegative(
      options.negativesPerPositive ?? FOLD_IN_DEFAULTS.negativesPerPositive,
      'negativesPerPositive',
    ),
    newtonSteps: Math.max(1, Math.floor(options.newtonSteps ?? FOLD_IN_DEFAULTS.newtonSteps)),
    tolerance: requireNonNegative(options.tolerance ?? FOLD_IN_DEFAULTS.tolerance, 'tolerance'),
  });
}

/** Width of the design row: the item vector, plus a 1 for the user bias. */
function width(factors: ItemFactors): number {
  return factors.dim + (factors.userBias ? 1 : 0);
}

/** The part of item `i`'s score that does not depend on the user. */
function fixedPart(factors: ItemFactors, i: number): number {
  return (factors.offset ?? 0) + (factors.bias ? (factors.bias[i] as number) : 0);
}

/** Adds `c · x_i x_iᵀ` to the `D × D` matrix `a` and `g · x_i` to `b`. */
function accumulate(
  factors: ItemFactors,
  i: number,
  c: number,
  g: number,
  a: Float64Array,
  b: Float64Array,
  row: Float64Array,
): void {
  const { dim, vectors } = factors;
  const d = row.length;
  const o = i * dim;
  for (let k = 0; k < dim; k++) row[k] = vectors[o + k] as number;
  if (factors.userBias) row[dim] = 1;
  for (let p = 0; p < d; p++) {
    const xp = row[p] as number;
    b[p] = (b[p] as number) + g * xp;
    if (c === 0) continue;
    const cx = c * xp;
    const base = p * d;
    for (let q = 0; q <= p; q++) a[base + q] = (a[base + q] as number) + cx * (row[q] as number);
  }
}

function toUser(factors: ItemFactors, w: Float64Array): UserFactors {
  const vector = Float32Array.from(w.subarray(0, factors.dim));
  return factors.userBias ? { vector, bias: w[factors.dim] as number } : { vector };
}

/**
 * Ridge fold-in for `rating` models: minimises `Σ_{i∈H} (r_i − bias_i − offset − w·x_i)² + λ‖w‖²`, i.e.
 * solves `(XᵀX + λI) w = Xᵀ(r − bias − offset)` by Cholesky. With `λ = 0` the history must determine `w`
 * (DataError otherwise).
 */
export function foldInRatings(factors: ItemFactors, history: UserHistory, l2: number): UserFactors {
  const d = width(factors);
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  const row = new Float64Array(d);
  for (let r = 0; r < history.items.length; r++) {
    const i = history.items[r] as number;
    accumulate(factors, i, 1, (history.values[r] as number) - fixedPart(factors, i), a, b, row);
  }
  for (let p = 0; p < d; p++) a[p * d + p] = (a[p * d + p] as number) + l2;
  return toUser(factors, choleskySolve(a, b, d));
}

/** Resolved options of {@link foldInLogistic}. */
export interface LogisticFoldInOptions {
  readonly l2: number;
  readonly negativesPerPositive: number;
  readonly newtonSteps: number;
  readonly tolerance: number;
}

function softplus(s: number): number {
  return s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
}

function sigmoid(s: number): number {
  return s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
}

/**
 * Logistic fold-in for `logit` models: minimises
 * `Σ_i c_i (softplus(ŝ_i) − y_i ŝ_i) + (λ/2)‖w‖²` over every item, `y_i = 1, c_i = 1` for history items and
 * `y_i = 0, c_i = negativesPerPositive·|H| / (numItems − |H|)` for the others, by Newton steps
 * `w ← w − t (∇²)⁻¹ ∇` (IRLS) with `t` halved until the objective decreases. The design matrix is held
 * column by column so every pass over the catalog reads memory in order (a Hessian is `O(n·D²/2)`).
 */
export function foldInLogistic(
  factors: ItemFactors,
  history: UserHistory,
  options: LogisticFoldInOptions,
): UserFactors {
  const n = itemFactorsNumItems(factors);
  const d = width(factors);
  const { dim, vectors } = factors;
  // Column p of the design matrix is xt[p*n .. (p+1)*n): item vectors, then ones for the user bias.
  const xt = new Float64Array(d * n);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    for (let k = 0; k < dim; k++) xt[k * n + i] = vectors[o + k] as number;
  }
  if (factors.userBias) xt.fill(1, dim * n, (dim + 1) * n);
  const fixed = new Float64Array(n);
  for (let i = 0; i < n; i++) fixed[i] = fixedPart(factors, i);
  const label = new Uint8Array(n);
  for (let r = 0; r < history.items.length; r++) label[history.items[r] as number] = 1;
  const numPositives = history.items.length;
  const negWeight = n > numPositives ? (options.negativesPerPositive * numPositives) / (n - numPositives) : 0;
  const { l2 } = options;
  const s = new Float64Array(n);
  const scoresAt = (w: Float64Array): void => {
    s.set(fixed);
    for (let p = 0; p < d; p++) {
      const wp = w[p] as number;
      if (wp === 0) continue;
      const o = p * n;
      for (let i = 0; i < n; i++) s[i] = (s[i] as number) + wp * (xt[o + i] as number);
    }
  };
  const objective = (w: Float64Array): number => {
    scoresAt(w);
    let f = 0;
    for (let i = 0; i < n; i++) {
      const si = s[i] as number;
      f += label[i] === 1 ? softplus(si) - si : negWeight * softplus(si);
    }
    let norm = 0;
    for (let p = 0; p < d; p++) norm += (w[p] as number) ** 2;
    return f + 0.5 * l2 * norm;
  };
  let w = new Float64Array(d);
  let f = objective(w);
  const a = new Float64Array(d * d);
  const g = new Float64Array(d);
  const curvature = new Float64Array(n);
  const residual = new Float64Array(n);
  const scaled = new Float64Array(n);
  for (let step = 0; step < options.newtonSteps; step++) {
    scoresAt(w);
    for (let i = 0; i < n; i++) {
      const c = label[i] === 1 ? 1 : negWeight;
      const prob = sigmoid(s[i] as number);
      curvature[i] = c * prob * (1 - prob);
      residual[i] = c * (prob - (label[i] as number));
    }
    for (let p = 0; p < d; p++) {
      const o = p * n;
      let gp = l2 * (w[p] as number);
      for (let i = 0; i < n; i++) {
        const x = xt[o + i] as number;
        gp += (residual[i] as number) * x;
        scaled[i] = (curvature[i] as number) * x;
      }
      g[p] = gp;
      for (let q = 0; q <= p; q++) {
        const oq = q * n;
        let h = 0;
        for (let i = 0; i < n; i++) h += (scaled[i] as number) * (xt[oq + i] as number);
        a[p * d + q] = h + (p === q ? l2 : 0);
      }
    }
    const delta = choleskySolve(a, g, d);
    let t = 1;
    let next = w;
    let fNext = f;
    for (let halvings = 0; halvings < 30; halvings++, t /= 2) {
      next = Float64Array.from(w, (x, p) => x - t * (delta[p] as number));
      fNext = objective(next);
      if (fNext <= f) break;
    }
    if (!(fNext <= f)) break; // no descent along the Newton direction: w is optimal to rounding
    let largest = 0;
    for (let p = 0; p < d; p++) largest = Math.max(largest, Math.abs(t * (delta[p] as number)));
    w = next;
    f = fNext;
    if (largest < options.tolerance) break;
  }
  return toUser(factors, w);
}

/**
 * Solves `A x = b` for a symmetric positive definite `n × n` matrix `A` of which only the lower triangle
 * (row-major, `a[p*n + q]` for `q ≤ p`) is read, by Cholesky decomposition `A = L Lᵀ`. Does not modify its
 * arguments. Throws DataError when `A` is not positive definite (a singular system: more history or λ > 0).
 */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q <= p; q++) {
      let s = a[p * n + q] as number;
      for (let k = 0; k < q; k++) s -= (l[p * n + k] as number) * (l[q * n + k] as number);
      if (p === q) {
        if (!(s > 1e-12 * Math.max(1, Math.abs(a[p * n + p] as number)))) {
          throw new DataError(
            `fold-in normal equations are singular (pivot ${p} = ${s}); give more history items or l2 > 0`,
          );
        }
        l[p * n + p] = Math.sqrt(s);
      } else {
        l[p * n + q] = s / (l[q * n + q] as number);
      }
    }
  }
  const y = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    let s = b[p] as number;
    for (let k = 0; k < p; k++) s -= (l[p * n + k] as number) * (y[k] as number);
    y[p] = s / (l[p * n + p] as number);
  }
  const x = new Float64Array(n);
  for (let p = n - 1; p >= 0; p--) {
    let s = y[p] as number;
    for (let k = p + 1; k < n; k++) s -= (l[k * n + p] as number) * (x[k] as number);
    x[p] = s / (l[p * n + p] as number);
  }
  return x;
}
