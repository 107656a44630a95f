import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { ConfigError, NcfError } from '../errors.js';
import { copyToFresh, liveValues, markWritten, memoryKind, refCount } from '../kernels/memory.js';
import { simdKernelsFor } from '../simd/simd-kernels.js';
import type { SimdKernels } from '../simd/simd-kernels.js';
import type { ModelVariable } from '../model.js';
import { bumpWeightsVersion } from '../weights-version.js';
import {
  OPTIMIZER_DEFAULTS,
  type GradientUpdate,
  type Optimizer,
  type OptimizerConfig,
  type OptimizerName,
  type OptimizerState,
} from '../optimizer.js';

/**
 * One fused optimizer for every variable of a model: a single pass of plain JavaScript over each variable's
 * memory, in place, instead of ~10 tfjs kernels per variable per step.
 *
 * - **Adam** (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization"), in the form PyTorch and
 *   tfjs use: `m ← β1·m + (1−β1)·g`, `v ← β2·v + (1−β2)·g²`,
 *   `w ← w − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε)`.
 *   Sparse tables use **lazy Adam** (as TensorFlow's `LazyAdamOptimizer`): only the rows in `rows` have their
 *   weights, `m` and `v` updated; the bias correction uses the global step `t`. With `lazyCatchUp` (the
 *   default) a row read after `k` untouched steps first receives, in closed form, the momentum updates dense
 *   Adam would have made in those steps, each with its own bias corrections (`catchUpRows`, which the train step
 *   calls before the forward pass; `apply` does it for rows nobody caught up; see `OptimizerConfig.lazyCatchUp`):
 *   O(touched rows) per step, and training equal to PyTorch's dense Adam (plain lazy Adam under-trained MF at
 *   the NCF paper's settings).
 * - **Adagrad** (Duchi et al., 2011): `a ← a + g²`, `w ← w − lr·g/(√a + ε)`, `a` starting at
 *   `initialAccumulator`; sparse tables update only touched rows (sparse Adagrad).
 * - **SGD**: `w ← w − lr·g` (sparse tables on `wasm`: the `sgd_rows` SIMD kernel, float32 arithmetic).
 * - **L2**: for variables with `regularize`, `g ← g + 2·l2·w` before the update (for sparse tables on the
 *   touched rows only, so untouched rows never decay).
 * - Variables with `trainable: false` are never changed.
 *
 * On `wasm` and `cpu` the weights are updated in place in the backend's memory; on other backends (e.g.
 * `tensorflow`) they are read, updated in JavaScript and assigned back. Slots (Adam's moments, Adagrad's
 * accumulators) are plain `Float32Array`s, allocated at a variable's first update — except lazy Adam's state on
 * `wasm`, which lives in the backend's heap and is updated, with the weights, by a WebAssembly SIMD kernel
 * (`src/simd/kernels.wat`; float32 arithmetic, ~4× fewer cycles than the float64 JavaScript loop).
 */
export function createOptimizer(config: Partial<OptimizerConfig> = {}): Optimizer {
  const cfg: OptimizerConfig = { ...OPTIMIZER_DEFAULTS, ...config };
  validateConfig(cfg);
  const slots = new Map<string, Record<string, Float32Array>>();
  // Sparse tables under Adam with catch-up keep `m`, `v` and the row's last step interleaved per row,
  // `[m(dim) | v(dim) | last]`: one random memory region per touched row instead of three (at a million rows
  // each region is a TLB and cache miss). getState/setState convert to and from the separate slots. On `wasm`
  // the state lives in the backend's heap, where the SIMD kernel updates it together with the weights.
  const packed = new Map<string, PackedState>();
  // The variable each packed state belongs to (flush() writes its weights).
  const owners = new Map<string, ModelVariable>();
  let step = 0;
  let learningRate = cfg.learningRate;

  /** The packed state of `v`, in the heap of `simd` when given, else in a JavaScript array (moved if needed). */
  function packedFor(v: ModelVariable, numRows: number, dim: number, simd?: SimdKernels): PackedState {
    const have = packed.get(v.name);
    if (have !== undefined && have.dim === dim && have.length === numRows * (2 * dim + 1)) {
      if (have.heap?.simd === simd) return have;
      const values = packedValues(have).slice();
      releasePacked(have);
      const moved = placePacked(values, dim, simd);
      packed.set(v.name, moved);
      return moved;
    }
    if (have !== undefined) {
      releasePacked(have);
      packed.delete(v.name);
    }
    const values = new Float32Array(numRows * (2 * dim + 1));
    const s = slots.get(v.name);
    if (s?.m !== undefined && s.v !== undefined) {
      if (s.m.length !== numRows * dim) {
        throw new NcfError(
          'OPTIMIZER_STATE',
          `optimizer slots of variable '${v.name}' have ${s.m.length} values, the variable has ${numRows * dim}`,
        );
      }
      for (let r = 0; r < numRows; r++) {
        const o = r * (2 * dim + 1);
        values.set(s.m.subarray(r * dim, (r + 1) * dim), o);
        values.set(s.v.subarray(r * dim, (r + 1) * dim), o + dim);
        values[o + 2 * dim] = s.last?.[r] ?? 0;
      }
    }
    slots.delete(v.name);
    const state = placePacked(values, dim, simd);
    packed.set(v.name, state);
    return state;
  }

  /** Moves a variable's interleaved state back to separate slots (for a dense update or getState). */
  function unpack(p: PackedState): Record<string, Float32Array> {
    const values = packedValues(p);
    const dim = p.dim;
    const stride = 2 * dim + 1;
    const numRows = values.length / stride;
    const m = new Float32Array(numRows * dim);
    const v = new Float32Array(numRows * dim);
    const last = new Float32Array(numRows);
    for (let r = 0; r < numRows; r++) {
      const o = r * stride;
      m.set(values.subarray(o, o + dim), r * dim);
      v.set(values.subarray(o + dim, o + 2 * dim), r * dim);
      last[r] = values[o + 2 * dim]!;
    }
    return { m, v, last };
  }

  function slotsFor(v: ModelVariable, size: number): Record<string, Float32Array> {
    const p = packed.get(v.name);
    if (p !== undefined) {
      slots.set(v.name, unpack(p));
      releasePacked(p);
      packed.delete(v.name);
    }
    let s = slots.get(v.name);
    if (s !== undefined) {
      const first = Object.values(s)[0];
      if (first !== undefined && first.length !== size) {
        throw new NcfError(
          'OPTIMIZER_STATE',
          `optimizer slots of variable '${v.name}' have ${first.length} values, the variable has ${size}`,
        );
      }
      return s;
    }
    if (cfg.name === 'adam') s = { m: new Float32Array(size), v: new Float32Array(size) };
    else if (cfg.name === 'adagrad') s = { accumulator: new Float32Array(size).fill(cfg.initialAccumulator) };
    else s = {};
    slots.set(v.name, s);
    return s;
  }

  let catchUp: CatchUpTable | undefined;

  function applyOne(u: GradientUpdate, t: number): void {
    const mv = u.variable;
    if (!mv.trainable) return;
    const variable = mv.variable;
    const size = variable.size;
    const dim = variable.shape.length === 0 ? 1 : size / variable.shape[0]!;
    const rows = u.rows;
    const gradSize = u.grad.size;
    if (rows !== undefined) {
      if (gradSize !== rows.length * dim) {
        throw new NcfError(
          'OPTIMIZER_SHAPE',
          `sparse gradient of '${mv.name}' has ${gradSize} values; expected ${rows.length} rows × ${dim}`,
        );
      }
    } else if (gradSize !== size) {
      throw new NcfError(
        'OPTIMIZER_SHAPE',
        `gradient of '${mv.name}' has shape [${u.grad.shape.join(',')}]; expected [${variable.shape.join(',')}]`,
      );
    }
    const usePacked = cfg.name === 'adam' && rows !== undefined && cfg.lazyCatchUp;
    const s = usePacked ? undefined : slotsFor(mv, size);
    // In place only when the variable owns its memory: if another tensor shares it (a clone, a reshape, the
    // initial value), copy first so that tensor keeps its values (tensors are immutable to everyone else).
    const { w, inPlace } = writableWeights(variable);
    const gLive = liveValues(u.grad);
    const g = gLive instanceof Float32Array ? gLive : (u.grad.dataSync() as Float32Array);
    const l2x2 = mv.regularize ? 2 * cfg.l2 : 0;
    const numRows = variable.shape.length === 0 ? 1 : variable.shape[0]!;
    if (rows !== undefined) checkRows(rows, numRows, mv.name);
    // Rows as a list of (weight offset, gradient offset) with a common length; dense = one row of `size`.
    const wRows = rows ?? DENSE_ROW;
    const len = rows === undefined ? size : dim;
    const scale = rows === undefined ? 0 : dim;
    const lr = learningRate;
    if (cfg.name === 'adam') {
      // The catch-up table (~330 KB) only for sparse tables under lazy Adam with catch-up.
      if (usePacked) catchUp ??= createCatchUpTable(cfg.beta1, cfg.beta2);
      const step = adamStep(cfg, catchUp, lr, t, l2x2);
      if (usePacked) {
        const simd = inPlace && gLive instanceof Float32Array ? simdKernelsFor() : undefined;
        const state = packedFor(mv, numRows, dim, simd);
        owners.set(mv.name, mv);
        if (simd !== undefined) adamRowsSimd(simd, variable, u.grad, state, rows!, dim, step);
        else adamRowsWithCatchUp(w, g, packedValues(state), rows!, dim, step);
      } else
        adamRows(
          w,
          g,
          s!.m!,
          s!.v!,
          wRows,
          scale,
          len,
          l2x2,
          cfg.beta1,
          cfg.beta2,
          step.alpha,
          step.invSqrtBc2,
          cfg.epsilon,
        );
    } else if (cfg.name === 'adagrad') {
      adagradRows(w, g, s!.accumulator!, wRows, scale, len, l2x2, lr, cfg.epsilon);
    } else {
      const simd =
        rows !== undefined && inPlace && gLive instanceof Float32Array ? simdKernelsFor() : undefined;
      if (simd !== undefined) {
        simd.sgdRows(
          simd.offsetOf(variable),
          simd.offsetOf(u.grad),
          simd.writeInt32(0, rows!),
          rows!.length,
          dim,
          lr,
          l2x2,
        );
      } else sgdRows(w, g, wRows, scale, len, l2x2, lr);
    }
    commitWeights(variable, w, inPlace);
  }

  return {
    config: cfg,
    get learningRate(): number {
      return learningRate;
    },
    setLearningRate(lr: number): void {
      if (!(Number.isFinite(lr) && lr > 0)) {
        throw new ConfigError(`learning rate must be a positive number, got ${lr}`, 'optimizer.learningRate');
      }
      learningRate = lr;
    },
    apply(updates: readonly GradientUpdate[]): void {
      step += 1;
      for (const u of updates) applyOne(u, step);
    },
    flush(): void {
      if (cfg.name !== 'adam' || !cfg.lazyCatchUp || step === 0) return;
      catchUp ??= createCatchUpTable(cfg.beta1, cfg.beta2);
      const done = adamStep(cfg, catchUp, learningRate, step);
      for (const [name, p] of packed) {
        const mv = owners.get(name);
        if (mv === undefined || !mv.trainable || mv.variable.isDisposed) continue;
        const variable = mv.variable;
        const { w, inPlace } = writableWeights(variable);
        if (w.length * (2 * p.dim + 1) !== p.length * p.dim) continue; // the table changed shape: nothing to flush
        flushRows(w, packedValues(p), p.dim, done);
        commitWeights(variable, w, inPlace);
      }
    },
    catchUpRows(table: ModelVariable, rows: Int32Array): void {
      if (cfg.name !== 'adam' || !cfg.lazyCatchUp || step === 0 || rows.length === 0) return;
      const p = packed.get(table.name);
      if (p === undefined || !table.trainable || table.variable.isDisposed) return;
      const variable = table.variable;
      const dim = p.dim;
      const numRows = variable.shape.length === 0 ? 1 : variable.shape[0]!;
      if (numRows * (2 * dim + 1) !== p.length) return; // the table changed shape: its next update resets the state
      checkRows(rows, numRows, table.name);
      catchUp ??= createCatchUpTable(cfg.beta1, cfg.beta2);
      const done = adamStep(cfg, catchUp, learningRate, step);
      const { w, inPlace } = writableWeights(variable);
      const simd = p.heap !== undefined && inPlace ? simdKernelsFor() : undefined;
      if (simd !== undefined && simd === p.heap!.simd) catchUpRowsSimd(simd, variable, p, rows, dim, done);
      else flushRows(w, packedValues(p), dim, done, rows);
      commitWeights(variable, w, inPlace);
    },
    getState(): OptimizerState {
      const out: Record<string, Record<string, Float32Array>> = {};
      for (const [name, p] of packed) out[name] = unpack(p);
      for (const [name, s] of slots) {
        const copy: Record<string, Float32Array> = {};
        for (const [k, a] of Object.entries(s)) copy[k] = a.slice();
        out[name] = copy;
      }
      return { name: cfg.name, step, slots: out };
    },
    setState(state: OptimizerState): void {
      if (state.name !== cfg.name) {
        throw new NcfError(
          'OPTIMIZER_STATE',
          `optimizer state is for '${state.name}' but this optimizer is '${cfg.name}'`,
        );
      }
      if (!Number.isInteger(state.step) || state.step < 0) {
        throw new NcfError(
          'OPTIMIZER_STATE',
          `optimizer state step must be a non-negative integer, got ${state.step}`,
        );
      }
      const expected = SLOT_NAMES[cfg.name];
      slots.clear();
      for (const p of packed.values()) releasePacked(p);
      packed.clear();
      owners.clear();
      for (const [name, s] of Object.entries(state.slots)) {
        const copy: Record<string, Float32Array> = {};
        for (const k of expected) {
          const a = s[k];
          if (!(a instanceof Float32Array)) {
            throw new NcfError('OPTIMIZER_STATE', `optimizer state of '${name}' lacks slot '${k}'`);
          }
          copy[k] = a.slice();
        }
        // Optional: the last step each sparse row was updated (lazy Adam with catch-up).
        if (s.last instanceof Float32Array) copy.last = s.last.slice();
        slots.set(name, copy);
      }
      step = state.step;
    },
    dispose(): void {
      if (catchUp?.heap !== undefined) {
        catchUp.heap.simd.free(catchUp.heap.ptr);
        catchUp.heap = undefined;
      }
      slots.clear();
      for (const p of packed.values()) releasePacked(p);
      packed.clear();
      owners.clear();
    },
  };
}

/**
 * A variable's weights to update: on `wasm`/`cpu` a live view of its memory (in place; copied first when another
 * tensor shares that memory, so the other keeps its values), elsewhere a copy to assign back with
 * {@link commitWeights}. Take it after any allocation (wasm's heap may move on growth).
 */
function writableWeights(variable: ModelVariable['variable']): { w: Float32Array; inPlace: boolean } {
  if (memoryKind() !== undefined && refCount(variable) > 1) {
    const fresh = tf.engine().makeTensorFromTensorInfo(copyToFresh(variable));
    variable.assign(fresh);
    fresh.dispose();
  }
  const live = liveValues(variable);
  if (live instanceof Float32Array) return { w: live, inPlace: true };
  return { w: (variable.dataSync() as Float32Array).slice(), inPlace: false };
}

/**
 * After an update of {@link writableWeights}' array: invalidate backend caches (in place) or assign the copy,
 * and bump the variable's weights version (in-place writes keep its data id, so caches watch the version).
 */
function commitWeights(variable: ModelVariable['variable'], w: Float32Array, inPlace: boolean): void {
  bumpWeightsVersion(variable);
  if (inPlace) {
    markWritten(variable);
    return;
  }
  const next = tf.tensor(w, variable.shape, 'float32');
  variable.assign(next);
  next.dispose();
}

/** Interleaved Adam state of one sparse table: in a JavaScript array, or in the wasm heap at `heap.ptr`. */
interface PackedState {
  readonly dim: number;
  /** Number of floats: rows × (2·dim + 1). */
  readonly length: number;
  readonly values?: Float32Array;
  readonly heap?: { readonly simd: SimdKernels; readonly ptr: number };
}

function placePacked(values: Float32Array, dim: number, simd: SimdKernels | undefined): PackedState {
  if (simd === undefined) return { dim, length: values.length, values };
  const ptr = simd.malloc(values.byteLength);
  new Float32Array(simd.memory.buffer, ptr, values.length).set(values);
  return { dim, length: values.length, heap: { simd, ptr } };
}

/** A view of the state's values (for heap state: valid until the next heap allocation). */
function packedValues(p: PackedState): Float32Array {
  if (p.values !== undefined) return p.values;
  const { simd, ptr } = p.heap!;
  return new Float32Array(simd.memory.buffer, ptr, p.length);
}

function releasePacked(p: PackedState): void {
  if (p.heap !== undefined) p.heap.simd.free(p.heap.ptr);
}

const SLOT_NAMES: Record<OptimizerName, readonly string[]> = {
  adam: ['m', 'v'],
  adagrad: ['accumulator'],
  sgd: [],
};

function validateConfig(c: OptimizerConfig): void {
  if (!(c.name in SLOT_NAMES)) {
    throw new ConfigError(
      `unknown optimizer '${String(c.name)}'; expected adam, sgd or adagrad`,
      'optimizer.name',
    );
  }
  const positive = (v: number, field: string): void => {
    if (!(Number.isFinite(v) && v > 0))
      throw new ConfigError(`${field} must be a positive number, got ${v}`, field);
  };
  positive(c.learningRate, 'optimizer.learningRate');
  positive(c.epsilon, 'optimizer.epsilon');
  if (!(Number.isFinite(c.l2) && c.l2 >= 0))
    throw new ConfigError(`optimizer.l2 must be ≥ 0, got ${c.l2}`, 'optimizer.l2');
  for (const [v, f] of [
    [c.beta1, 'optimizer.beta1'],
    [c.beta2, 'optimizer.beta2'],
  ] as const) {
    if (!(Number.isFinite(v) && v >= 0 && v < 1))
      throw new ConfigError(`${f} must be in [0, 1), got ${v}`, f);
  }
  if (!(Number.isFinite(c.initialAccumulator) && c.initialAccumulator >= 0)) {
    throw new ConfigError(
      `optimizer.initialAccumulator must be ≥ 0, got ${c.initialAccumulator}`,
      'optimizer.initialAccumulator',
    );
  }
}

const DENSE_ROW = new Int32Array([0]);

function checkRows(rows: Int32Array, numRows: number, name: string): void {
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (!(row >= 0 && row < numRows)) {
      throw new NcfError('OPTIMIZER_SHAPE', `sparse row ${row} of '${name}' is outside [0, ${numRows})`);
    }
  }
}

// The update loops: small monomorphic functions so V8 optimises each on its own. Row r covers weights
// [rows[r]·scale, +len) and gradients [r·len, +len); a dense variable is one row at 0 with scale 0.

function adamRows(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  rows: Int32Array,
  scale: number,
  len: number,
  l2x2: number,
  b1: number,
  b2: number,
  alpha: number,
  invSqrtBc2: number,
  eps: number,
): void {
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let r = 0; r < rows.length; r++) {
    const wb = rows[r]! * scale;
    const gb = r * len;
    for (let k = 0; k < len; k++) {
      const i = wb + k;
      const wi = w[i]!;
      const gi = g[gb + k]! + l2x2 * wi;
      const mi = b1 * m[i]! + c1 * gi;
      const vi = b2 * v[i]! + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] = wi - (alpha * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    }
  }
}

/**
 * Lazy Adam catch-up (see `OptimizerConfig.lazyCatchUp`): for each touched row, applies the updates dense
 * Adam would have made from the row's decaying moments during the `k` steps since its last update, then
 * decays the moments by `β1ᵏ`, `β2ᵏ` and records step `t`. The plain Adam update of step `t` follows.
 */
/**
 * The catch-up coefficients of lazy Adam. Dense Adam's update at an idle step `s = last + i` (zero gradient, so
 * `m = β1ⁱ·m₀`, `v = β2ⁱ·v₀`) is `lr·κ(s)·ρⁱ·m₀/(√v₀ + ε′)` with `ρ = β1/√β2` and `κ(s) = √(1−β2ˢ)/(1−β1ˢ)` (the
 * bias corrections of step `s`). The sum over the `k` idle steps is `lr·m₀/√v₀·(C[last] − ρᵏ·C[last+k])` with
 * `C[q] = Σ_{i≥1} κ(q+i)·ρⁱ` (telescoping): exact, O(1) per row, as long as the learning rate did not change
 * inside the gap (`fit()` flushes every row before it changes the rate). `C` is tabulated until `κ` reaches 1
 * to float64 precision (~41k steps at β2 = 0.999), then constant (`cInf`). `β1ᵏ`, `β2ᵏ`, `ρᵏ` for gaps `k <
 * size` are tabulated too, so the per-row cost is table reads, not `Math.pow`.
 */
interface CatchUpTable {
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

const CATCH_UP_TABLE_SIZE = 4096;
/** Longest `C` table (8 MB): β2 ≥ 0.99997 would need more; past it κ is within 1e-15·… of 1 anyway. */
const CATCH_UP_MAX_STEPS = 1 << 20;

/** Scratch of {@link catchUpAt}: `[X, β1ᵏ, β2ᵏ]`. */
const gap = new Float64Array(3);

/**
 * For a row last updated at step `last` with `k ≥ 1` idle steps since: `X = Σ_{i=1..k} κ(last+i)·ρⁱ` (the
 * catch-up step is `lr·X` times the row's `m/√v`), `β1ᵏ` and `β2ᵏ`, into `out`.
 */
function catchUpAt(table: CatchUpTable, last: number, k: number, out: Float64Array): void {
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

function createCatchUpTable(b1: number, b2: number): CatchUpTable {
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
interface AdamStep {
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

function adamStep(
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
function adamRowsWithCatchUp(
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
 * {@link adamRowsWithCatchUp} on the wasm heap, as two kernel calls: the per-row part (the gap since the row's
 * last step, its catch-up coefficients, the new last step; `adam_coefficients`, float64 like the JavaScript) and
 * the per-element part (`adam_rows`, SIMD, float32 arithmetic), both in `kernels.wat`.
 */
function adamRowsSimd(
  simd: SimdKernels,
  variable: TensorInfo,
  grad: TensorInfo,
  state: PackedState,
  rows: Int32Array,
  dim: number,
  step: AdamStep,
): void {
  const { l2x2, alpha, invSqrtBc2, eps } = step;
  const { rowsPtr, coefPtr } = rowCoefficients(simd, state, rows, dim, step, 0);
  const { b1, b2 } = step.table!;
  const n = rows.length;
  simd.adamRows(
    simd.offsetOf(variable),
    simd.offsetOf(grad),
    state.heap!.ptr,
    rowsPtr,
    coefPtr,
    n,
    dim,
    l2x2,
    alpha,
    invSqrtBc2,
    eps,
    1 - b1,
    1 - b2,
  );
}

/**
 * Writes `rows` into scratch slot 0 and their `adam_coefficients` into slot 1: mode 0 for an update at step
 * `step.t`, mode 1 for a catch-up to the completed step `step.t`. Returns both pointers.
 */
function rowCoefficients(
  simd: SimdKernels,
  state: PackedState,
  rows: Int32Array,
  dim: number,
  step: AdamStep,
  mode: 0 | 1,
): { rowsPtr: number; coefPtr: number } {
  const table = step.table!;
  const n = rows.length;
  const rowsPtr = simd.writeInt32(0, rows);
  const tablePtr = heapTableFor(simd, table);
  const coefPtr = simd.scratch(1, 12 * n);
  simd.adamCoefficients(
    state.heap!.ptr,
    rowsPtr,
    coefPtr,
    n,
    dim,
    step.t,
    mode,
    tablePtr,
    CATCH_UP_TABLE_SIZE,
    table.c.length,
    step.lrs,
    table.b1,
    table.b2,
    table.cInf,
  );
  return { rowsPtr, coefPtr };
}

/** Lazy Adam's catch-up of `rows` to the completed step `t` on the wasm heap (`adam_catch_up`). */
function catchUpRowsSimd(
  simd: SimdKernels,
  variable: TensorInfo,
  state: PackedState,
  rows: Int32Array,
  dim: number,
  step: AdamStep,
): void {
  const { rowsPtr, coefPtr } = rowCoefficients(simd, state, rows, dim, step, 1);
  simd.adamCatchUp(
    simd.offsetOf(variable),
    state.heap!.ptr,
    rowsPtr,
    coefPtr,
    rows.length,
    dim,
    step.invSqrtBc2,
    step.eps,
  );
}

/** The catch-up table copied into `simd`'s heap as float64 `[β1ᵏ… | β2ᵏ… | ρᵏ… | C…]` (once per table and heap). */
function heapTableFor(simd: SimdKernels, table: CatchUpTable): number {
  const have = table.heap;
  if (have !== undefined && have.simd === simd) return have.ptr;
  const size = 3 * CATCH_UP_TABLE_SIZE + table.c.length;
  const ptr = simd.malloc(8 * size);
  const view = new Float64Array(simd.memory.buffer, ptr, size);
  view.set(table.d1, 0);
  view.set(table.d2, CATCH_UP_TABLE_SIZE);
  view.set(table.rk, 2 * CATCH_UP_TABLE_SIZE);
  view.set(table.c, 3 * CATCH_UP_TABLE_SIZE);
  if (have !== undefined) have.simd.free(have.ptr);
  table.heap = { simd, ptr };
  return ptr;
}

/**
 * Brings rows of a lazily updated table to the completed step `t` (every row, or those in `list`): a row last
 * updated at step `last` < t receives, in closed form, the `k = t − last` idle steps dense Adam would have made
 * (the catch-up of {@link adamRowsWithCatchUp} without a new gradient), its moments decay by `β1ᵏ`, `β2ᵏ`, and
 * `last` becomes `t`.
 */
function flushRows(
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

function adagradRows(
  w: Float32Array,
  g: Float32Array,
  a: Float32Array,
  rows: Int32Array,
  scale: number,
  len: number,
  l2x2: number,
  lr: number,
  eps: number,
): void {
  for (let r = 0; r < rows.length; r++) {
    const wb = rows[r]! * scale;
    const gb = r * len;
    for (let k = 0; k < len; k++) {
      const i = wb + k;
      const wi = w[i]!;
      const gi = g[gb + k]! + l2x2 * wi;
      const ai = a[i]! + gi * gi;
      a[i] = ai;
      w[i] = wi - (lr * gi) / (Math.sqrt(ai) + eps);
    }
  }
}

function sgdRows(
  w: Float32Array,
  g: Float32Array,
  rows: Int32Array,
  scale: number,
  len: number,
  l2x2: number,
  lr: number,
): void {
  for (let r = 0; r < rows.length; r++) {
    const wb = rows[r]! * scale;
    const gb = r * len;
    for (let k = 0; k < len; k++) {
      const i = wb + k;
      const wi = w[i]!;
      w[i] = wi - lr * (g[gb + k]! + l2x2 * wi);
    }
  }
}
