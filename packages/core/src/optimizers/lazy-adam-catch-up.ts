// Lazy Adam with catch-up for sparse tables: the closed-form table of the updates dense Adam makes to a row
// while it is idle, the per-step scalars, and the JavaScript loops that update / flush rows with it.
import type { OptimizerConfig } from '../optimizer.js';
import type { SimdKernels } from '../simd/simd-kernels.js';

/**
 * The catch-up coefficients of lazy Adam. Dense Adam's update at an idle step `s = last + i` (zero gradient, so
 * `m = β1ⁱ·m₀`, `v = β2ⁱ·v₀`) is `lr·κ(s)·ρⁱ·m₀/(√v₀ + ε′)` with `ρ = β1/√β2` and `κ(s) = √(1−β2ˢ)/(1−β1ˢ)` (the
 * bias corrections of step `s`). The sum over the `k` idle steps is `lr·m₀/√v₀·(C[last] − ρᵏ·C[last+k])` with
 * `C[q] = Σ_{i≥1} κ(q+i)·ρⁱ` (telescoping): exact, O(1) per row, as long as the learning rate did not change
 * inside the gap (`fit()` flushes every row before it changes the rate). `C` is tabulated until `κ` reaches 1
 * to float64 precision (~41k steps at β2 = 0.999), then constant (`cInf`). `β1ᵏ`, `β2ᵏ`, `ρᵏ` for gaps `k <
 * size` are tabulated too, so the per-row cost is table reads, not `Math.pow`.
 */
export interface CatchUpTable {
  readonly b1: number;
  readonly b2: number;
  readonly rho: number;
  readonly d1: Float64Array;
  readonly d2: Float64Array;
  readonly rk: Float64Array;
  readonly c: Float64Array;
  readonly cInf: number;
  /** A copy in the wasm heap for the SIMD kernels (freed with the optimizer). */
  heap?: { readonly simd: SimdKernels; readonly ptr: number };
}

/** Gaps shorter than this read `β1ᵏ`, `β2ᵏ`, `ρᵏ` from the table; longer ones call `Math.pow`. */
export const CATCH_UP_TABLE_SIZE = 4096;
/** Longest `C` table (8 MB): β2 ≥ 0.99997 would need more; past it κ is within 1e-15·… of 1 anyway. */
const CATCH_UP_MAX_STEPS = 1 << 20;

/** Scratch of {@link catchUpAt}: `[X, β1ᵏ, β2ᵏ]`. */
const gap = new Float64Array(3);

/**
 * For a row last updated at step `last` with `k ≥ 1` idle steps since: `X = Σ_{i=1..k} κ(last+i)·ρⁱ` (the
 * catch-up step is `lr·X` times the row's `m/√v`), `β1ᵏ` and `β2ᵏ`, into `out`.
 */
export function catchUpAt(table: CatchUpTable, last: number, k: number, out: Float64Array): void {
  let rk: number;
  if (k < CATCH_UP_TABLE_SIZE) {
    rk = table.rk[k]!;
    out[1] = table.d1[k]!;
    out[2] = table.d2[k]!;
  } else {
    rk = Math.pow(table.rho, k);
    out[1] = Math.pow(table.b1, k);
    out[2] = Math.pow(table.b2, k);
  }
  const c = table.c;
  const ca = last < c.length ? c[last]! : table.cInf;
  const cb = last + k < c.length ? c[last + k]! : table.cInf;
  out[0] = ca - rk * cb;
}

/** Tabulates the catch-up coefficients for `β1`, `β2` (see {@link CatchUpTable}). */
export function createCatchUpTable(b1: number, b2: number): CatchUpTable {
  const d1 = new Float64Array(CATCH_UP_TABLE_SIZE);
  const d2 = new Float64Array(CATCH_UP_TABLE_SIZE);
  const rk = new Float64Array(CATCH_UP_TABLE_SIZE);
  const rho = b1 / Math.sqrt(b2);
  for (let k = 0; k < CATCH_UP_TABLE_SIZE; k++) {
    d1[k] = Math.pow(b1, k);
    d2[k] = Math.pow(b2, k);
    rk[k] = Math.pow(rho, k);
  }
  // κ(s) = 1 to float64 precision once β1ˢ and β2ˢ are below 1e-17.
  const slowest = Math.max(b1, b2);
  const converged = slowest <= 0 ? 1 : Math.ceil(Math.log(1e-17) / Math.log(slowest));
  const steps = Math.min(CATCH_UP_MAX_STEPS, Math.max(1, converged));
  const cInf = rho / (1 - rho);
  const c = new Float64Array(steps);
  // C[q] = ρ·(κ(q+1) + C[q+1]), from C[steps] = cInf down.
  let next = cInf;
  for (let q = steps - 1; q >= 0; q--) {
    const s = q + 1;
    const kappa = Math.sqrt(1 - Math.pow(b2, s)) / (1 - Math.pow(b1, s));
    next = rho * (kappa + next);
    c[q] = next;
  }
  return { b1, b2, rho, d1, d2, rk, c, cInf };
}

/** The scalars of one lazy-Adam step (an update at step `t`, or a catch-up to the completed step `t`). */
export interface AdamStep {
  readonly t: number;
  /** Set whenever a catch-up runs (undefined for dense variables). */
  readonly table: CatchUpTable | undefined;
  /** `lr / (1 − β1ᵗ)`: this step's update. */
  readonly alpha: number;
  /** `lr / √(1 − β2ᵗ)`: scales the catch-up sums. */
  readonly lrs: number;
  readonly invSqrtBc2: number;
  readonly eps: number;
  /** `2·l2` for regularised variables, else 0. */
  readonly l2x2: number;
}

export function adamStep(
  cfg: OptimizerConfig,
  table: CatchUpTable | undefined,
  lr: number,
  t: number,
  l2x2 = 0,
): AdamStep {
  const invSqrtBc2 = 1 / Math.sqrt(1 - Math.pow(cfg.beta2, t));
  return {
    t,
    table,
    alpha: lr / (1 - Math.pow(cfg.beta1, t)),
    lrs: lr * invSqrtBc2,
    invSqrtBc2,
    eps: cfg.epsilon,
    l2x2,
  };
}

/**
 * Lazy Adam with catch-up for sparse rows, in one pass per row: the closed-form updates of the `k` idle steps
 * since the row's last update (see `OptimizerConfig.lazyCatchUp`), the moments decayed by `β1ᵏ`, `β2ᵏ`, then
 * this step's Adam update. Row r covers weights `[rows[r]·dim, +dim)` and gradients `[r·dim, +dim)`.
 */
export function adamRowsWithCatchUp(
  w: Float32Array,
  g: Float32Array,
  state: Float32Array,
  rows: Int32Array,
  dim: number,
  step: AdamStep,
): void {
  const table = step.table!;
  const { t, l2x2, alpha, lrs, invSqrtBc2, eps } = step;
  const { b1, b2 } = table;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  const stride = 2 * dim + 1;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const mb = row * stride;
    const vb = mb + dim;
    const lastAt = vb + dim;
    const prev = state[lastAt]!;
    state[lastAt] = t;
    const k = prev === 0 ? 0 : t - 1 - prev;
    const base = row * dim;
    const gb = r * dim;
    if (k <= 0) {
      for (let j = 0; j < dim; j++) {
        const i = base + j;
        const wi = w[i]!;
        const gi = g[gb + j]! + l2x2 * wi;
        const mi = b1 * state[mb + j]! + c1 * gi;
        const vi = b2 * state[vb + j]! + c2 * gi * gi;
        state[mb + j] = mi;
        state[vb + j] = vi;
        w[i] = wi - (alpha * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
      }
      continue;
    }
    catchUpAt(table, prev, k, gap);
    const c = lrs * gap[0]!;
    const d1 = gap[1]!;
    const d2 = gap[2]!;
    // Fold the decays into this step's moment update: m ← β1·(β1ᵏ m) + (1−β1) g, likewise v.
    const e1 = b1 * d1;
    const e2 = b2 * d2;
    for (let j = 0; j < dim; j++) {
      const i = base + j;
      const m0 = state[mb + j]!;
      const v0 = state[vb + j]!;
      let wi = w[i]!;
      if (v0 > 0) wi -= (c * m0) / (Math.sqrt(v0) * invSqrtBc2 + eps);
      const gi = g[gb + j]! + l2x2 * wi;
      const mi = e1 * m0 + c1 * gi;
      const vi = e2 * v0 + c2 * gi * gi;
      state[mb + j] = mi;
      state[vb + j] = vi;
      w[i] = wi - (alpha * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    }
  }
}

/**
 * Brings rows of a lazily updated table to the completed step `t` (every row, or those in `list`): a row last
 * updated at step `last` < t receives, in closed form, the `k = t − last` idle steps dense Adam would have made
 * (the catch-up of {@link adamRowsWithCatchUp} without a new gradient), its moments decay by `β1ᵏ`, `β2ᵏ`, and
 * `last` becomes `t`.
 */
export function flushRows(
  w: Float32Array,
  state: Float32Array,
  dim: number,
  step: AdamStep,
  list?: Int32Array,
): void {
  const table = step.table!;
  const { t, lrs, invSqrtBc2, eps } = step;
  const stride = 2 * dim + 1;
  const count = list === undefined ? w.length / dim : list.length;
  for (let q = 0; q < count; q++) {
    const row = list === undefined ? q : list[q]!;
    const mb = row * stride;
    const vb = mb + dim;
    const lastAt = vb + dim;
    const prev = state[lastAt]!;
    if (prev === 0 || prev >= t) continue;
    const k = t - prev;
    state[lastAt] = t;
    catchUpAt(table, prev, k, gap);
    const c = lrs * gap[0]!;
    const d1 = gap[1]!;
    const d2 = gap[2]!;
    const base = row * dim;
    for (let j = 0; j < dim; j++) {
      const m0 = state[mb + j]!;
      const v0 = state[vb + j]!;
      if (v0 > 0) w[base + j] = w[base + j]! - (c * m0) / (Math.sqrt(v0) * invSqrtBc2 + eps);
      state[mb + j] = d1 * m0;
      state[vb + j] = d2 * v0;
    }
  }
}
