import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { allocOutput, liveFloat32 } from './memory.js';

/**
 * Kernels over ragged segments given in CSR form (`offsets`, length `n + 1`, segment `b` is the entries
 * `offsets[b]..offsets[b+1]`), for attention over user histories (He et al., "NAIS: Neural Attentive Item
 * Similarity Model for Recommendation", TKDE 2018): a softmax within each segment and a weighted sum of table
 * rows per segment, forward and backward, one pass over the entries each. The offsets and row indices are
 * attributes (typed arrays), so no index tensors are created per step; callers validate them (the ops in
 * `segment-ops.ts` do). Cost ∝ the total number of entries, never the number of table rows beyond one
 * zero-fill of the table gradient. Registered for `wasm` and `cpu`.
 */

/** Kernel name: softmax within each segment, with NAIS's smoothing exponent β. */
export const SEGMENT_SOFTMAX = 'NcfSegmentSoftmax';
/** Kernel name: gradient of {@link SEGMENT_SOFTMAX} w.r.t. the logits. */
export const SEGMENT_SOFTMAX_GRAD = 'NcfSegmentSoftmaxGrad';
/** Kernel name: `out[b, :] = Σ_{p ∈ segment b} w[p] · table[rows[p], :]`. */
export const SEGMENT_WEIGHTED_SUM = 'NcfSegmentWeightedSum';
/** Kernel name: gradient of {@link SEGMENT_WEIGHTED_SUM} w.r.t. `w` and `table` (two outputs). */
export const SEGMENT_WEIGHTED_SUM_GRAD = 'NcfSegmentWeightedSumGrad';

/** Attributes of the segment softmax kernels. */
export interface SegmentSoftmaxAttrs {
  readonly offsets: Int32Array;
  /** Smoothing exponent of the denominator: `a_p = exp(s_p) / (Σ_q exp(s_q))^β`; 1 is the plain softmax. */
  readonly beta: number;
}

/** Attributes of the segment weighted-sum kernels. */
export interface SegmentWeightedSumAttrs {
  readonly offsets: Int32Array;
  /** Row of `table` for each entry. */
  readonly rows: Int32Array;
}

/**
 * Per segment: the max logit `m`, `z = Σ exp(s − m)` and the factor `f = z^−β · exp((1 − β)·m)` with which
 * `a_p = exp(s_p − m) · f`. In float64: with β = 1 the factor is `1/z` for any logits (large logits are
 * safe); with β < 1 the weights themselves grow as `exp((1 − β)·m)`, which is the function, not an overflow
 * of the method.
 */
function segmentStats(
  s: Float32Array,
  a: number,
  b: number,
  beta: number,
): { m: number; z: number; f: number } {
  let m = -Infinity;
  for (let p = a; p < b; p++) if (s[p]! > m) m = s[p]!;
  let z = 0;
  for (let p = a; p < b; p++) z += Math.exp(s[p]! - m);
  const f = beta === 1 ? 1 / z : Math.pow(z, -beta) * Math.exp((1 - beta) * m);
  return { m, z, f };
}

/** Inputs `logits` `[P]`; attrs {@link SegmentSoftmaxAttrs}. Output `[P]`. */
export const segmentSoftmaxForward: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const logits = args.inputs.logits as TensorInfo;
  const { offsets, beta } = args.attrs as unknown as SegmentSoftmaxAttrs;
  const total = logits.shape[0]!;
  const out = allocOutput(backend, [total], 'float32');
  if (total === 0) return out;
  const s = liveFloat32(logits, backend);
  const y = liveFloat32(out, backend);
  const n = offsets.length - 1;
  for (let seg = 0; seg < n; seg++) {
    const a = offsets[seg]!;
    const b = offsets[seg + 1]!;
    if (a === b) continue;
    const { m, f } = segmentStats(s, a, b, beta);
    for (let p = a; p < b; p++) y[p] = Math.exp(s[p]! - m) * f;
  }
  return out;
};

/**
 * Inputs `dy`, `logits` `[P]`; attrs {@link SegmentSoftmaxAttrs}. Output `ds` `[P]`:
 * `ds_p = a_p·g_p − β·π_p·Σ_q g_q·a_q` with `π` the plain softmax of the segment (for β = 1, `π = a`).
 */
export const segmentSoftmaxBackward: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const dy = args.inputs.dy as TensorInfo;
  const logits = args.inputs.logits as TensorInfo;
  const { offsets, beta } = args.attrs as unknown as SegmentSoftmaxAttrs;
  const total = logits.shape[0]!;
  const out = allocOutput(backend, [total], 'float32');
  if (total === 0) return out;
  const s = liveFloat32(logits, backend);
  const g = liveFloat32(dy, backend);
  const ds = liveFloat32(out, backend);
  const n = offsets.length - 1;
  for (let seg = 0; seg < n; seg++) {
    const a = offsets[seg]!;
    const b = offsets[seg + 1]!;
    if (a === b) continue;
    const { m, z, f } = segmentStats(s, a, b, beta);
    let ga = 0;
    for (let p = a; p < b; p++) ga += g[p]! * Math.exp(s[p]! - m) * f;
    for (let p = a; p < b; p++) {
      const e = Math.exp(s[p]! - m);
      ds[p] = e * f * g[p]! - (beta * e * ga) / z;
    }
  }
  return out;
};

function tableDim(table: TensorInfo): number {
  return table.shape.length > 1 ? table.shape[1]! : 1;
}

/** Inputs `weights` `[P]`, `table` `[m, D]`; attrs {@link SegmentWeightedSumAttrs}. Output `[n, D]`. */
export const segmentWeightedSumForward: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const weights = args.inputs.weights as TensorInfo;
  const table = args.inputs.table as TensorInfo;
  const { offsets, rows } = args.attrs as unknown as SegmentWeightedSumAttrs;
  const n = offsets.length - 1;
  const d = tableDim(table);
  const out = allocOutput(backend, [n, d], 'float32', true);
  if (rows.length === 0 || d === 0) return out;
  const w = liveFloat32(weights, backend);
  const t = liveFloat32(table, backend);
  const o = liveFloat32(out, backend);
  for (let seg = 0, ob = 0; seg < n; seg++, ob += d) {
    const end = offsets[seg + 1]!;
    for (let p = offsets[seg]!; p < end; p++) {
      const wp = w[p]!;
      const tb = rows[p]! * d;
      for (let k = 0; k < d; k++) o[ob + k] = o[ob + k]! + wp * t[tb + k]!;
    }
  }
  return out;
};

/**
 * Inputs `dy` `[n, D]`, `weights` `[P]`, `table` `[m, D]`; attrs {@link SegmentWeightedSumAttrs}. Outputs
 * `dw[p] = dy[seg(p)] · table[rows[p]]` and `dtable[r] = Σ_{p: rows[p] = r} w[p]·dy[seg(p)]`.
 */
export const segmentWeightedSumBackward: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const dy = args.inputs.dy as TensorInfo;
  const weights = args.inputs.weights as TensorInfo;
  const table = args.inputs.table as TensorInfo;
  const { offsets, rows } = args.attrs as unknown as SegmentWeightedSumAttrs;
  const n = offsets.length - 1;
  const d = tableDim(table);
  const dw = allocOutput(backend, [rows.length], 'float32', true);
  const dt = allocOutput(backend, table.shape.slice(), 'float32', true);
  if (rows.length === 0 || d === 0) return [dw, dt];
  const g = liveFloat32(dy, backend);
  const w = liveFloat32(weights, backend);
  const t = liveFloat32(table, backend);
  const dwv = liveFloat32(dw, backend);
  const dtv = liveFloat32(dt, backend);
  for (let seg = 0, gb = 0; seg < n; seg++, gb += d) {
    const end = offsets[seg + 1]!;
    for (let p = offsets[seg]!; p < end; p++) {
      const wp = w[p]!;
      const tb = rows[p]! * d;
      let acc = 0;
      for (let k = 0; k < d; k++) {
        const gk = g[gb + k]!;
        acc += gk * t[tb + k]!;
        dtv[tb + k] = dtv[tb + k]! + wp * gk;
      }
      dwv[p] = acc;
    }
  }
  return [dw, dt];
};
