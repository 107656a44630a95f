import { ConfigError, NcfError } from '../errors.js';
import { liveValues } from '../kernels/memory.js';
import { simdKernelsFor } from '../simd/simd-kernels.js';
import type { SimdKernels } from '../simd/simd-kernels.js';
import type { ModelVariable } from '../model.js';
import {
  OPTIMIZER_DEFAULTS,
  type GradientUpdate,
  type Optimizer,
  type OptimizerConfig,
  type OptimizerState,
} from '../optimizer.js';
import { adagradRows } from './adagrad.js';
import { adamRows } from './adam.js';
import {
  adamRowsWithCatchUp,
  adamStep,
  createCatchUpTable,
  flushRows,
  type CatchUpTable,
} from './lazy-adam-catch-up.js';
import { packedValues, placePacked, releasePacked, unpack, type PackedState } from './packed-state.js';
import { sgdRows } from './sgd.js';
import { adamRowsSimd, catchUpRowsSimd } from './simd-dispatch.js';
import { SLOT_NAMES, validateConfig } from './validate-optimizer-config.js';
import { commitWeights, writableWeights } from './writable-weights.js';

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

const DENSE_ROW = new Int32Array([0]);

function checkRows(rows: Int32Array, numRows: number, name: string): void {
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (!(row >= 0 && row < numRows)) {
      throw new NcfError('OPTIMIZER_SHAPE', `sparse row ${row} of '${name}' is outside [0, ${numRows})`);
    }
  }
}
