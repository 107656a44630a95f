import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, NamedAttrMap, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { ConfigError, NcfError } from './errors.js';
import { kernelsRegistered } from './kernels/index.js';
import { PAIR_LOGITS, PAIR_LOGITS_GRAD, dropoutMaskTable, maskRowOf } from './kernels/pair-logits.js';
import {
  SEGMENT_SOFTMAX,
  SEGMENT_SOFTMAX_GRAD,
  SEGMENT_WEIGHTED_SUM,
  SEGMENT_WEIGHTED_SUM_GRAD,
} from './kernels/segment.js';

/**
 * Differentiable ops over ragged segments in CSR form — the pieces of attention over user histories without
 * padding every user to the longest history (He et al., "NAIS: Neural Attentive Item Similarity Model for
 * Recommendation", TKDE 2018, eq. 4–6). `offsets` has one entry per segment plus one (`offsets[0] = 0`,
 * non-decreasing, last = number of entries); empty segments are allowed. On `wasm` and `cpu` (kernel layer
 * registered by `initBackend()`) each op is one kernel forward and one backward with cost ∝ the number of
 * entries; elsewhere the same function is composed of stock tfjs ops (`*Composite`, also the reference the
 * kernels are benchmarked against).
 */

/** Throws NcfError unless `offsets` is a CSR offset array over `total` entries. */
export function checkSegmentOffsets(offsets: Int32Array, total: number, op: string): void {
  if (offsets.length < 1 || offsets[0] !== 0 || offsets[offsets.length - 1] !== total) {
    throw new NcfError(
      'SHAPE_MISMATCH',
      `${op}: offsets must start at 0 and end at the number of entries ${total}, got [${offsets[0]} … ${offsets[offsets.length - 1]}] (length ${offsets.length})`,
    );
  }
  for (let b = 1; b < offsets.length; b++) {
    if (offsets[b]! < offsets[b - 1]!) {
      throw new NcfError(
        'SHAPE_MISMATCH',
        `${op}: offsets must not decrease, got offsets[${b - 1}] = ${offsets[b - 1]} > offsets[${b}] = ${offsets[b]}`,
      );
    }
  }
}

function checkRows(rows: Int32Array, numRows: number, op: string): void {
  for (let p = 0; p < rows.length; p++) {
    const r = rows[p]!;
    if (!(r >= 0 && r < numRows)) {
      throw new NcfError('SHAPE_MISMATCH', `${op}: rows[${p}] = ${r} is outside the table's [0, ${numRows})`);
    }
  }
}

/** The segment of every entry (`segmentIds[p] = b` for `offsets[b] ≤ p < offsets[b+1]`). */
export function segmentIdsOf(offsets: Int32Array): Int32Array {
  const ids = new Int32Array(offsets[offsets.length - 1]!);
  for (let b = 0; b + 1 < offsets.length; b++) ids.fill(b, offsets[b]!, offsets[b + 1]!);
  return ids;
}

/**
 * Softmax within each segment with NAIS's smoothing exponent β (TKDE 2018, eq. 6):
 * `a_p = exp(s_p) / (Σ_{q ∈ seg(p)} exp(s_q))^β`. β = 1 is the plain softmax (weights of a segment sum to
 * 1); β < 1 softens the penalty on long histories. Differentiable w.r.t. `logits`. Max-shifted, so large
 * logits do not overflow at β = 1.
 */
export function segmentSoftmax(logits: Tensor1D, offsets: Int32Array, beta = 1): Tensor1D {
  checkSegmentOffsets(offsets, logits.shape[0], 'segmentSoftmax');
  if (!(beta >= 0 && beta <= 1)) {
    throw new ConfigError(`segmentSoftmax: beta must be in [0, 1], got ${beta}`, 'beta');
  }
  if (!kernelsRegistered(SEGMENT_SOFTMAX, SEGMENT_SOFTMAX_GRAD) || logits.dtype !== 'float32') {
    return segmentSoftmaxComposite(logits, offsets, beta);
  }
  const attrs = { offsets, beta } as unknown as NamedAttrMap;
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const s = args[0] as Tensor;
    (args[1] as GradSaveFunc)([s]);
    return {
      value: tf.engine().runKernel(SEGMENT_SOFTMAX, { logits: s }, attrs) as Tensor1D,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) =>
        tf.engine().runKernel(SEGMENT_SOFTMAX_GRAD, { dy: dy as Tensor, logits: saved[0]! }, attrs) as Tensor,
    };
  });
  return op(logits) as Tensor1D;
}

/** {@link segmentSoftmax} from stock tfjs ops (gather, exp, unsortedSegmentSum); the per-segment max is a constant shift. */
export function segmentSoftmaxComposite(logits: Tensor1D, offsets: Int32Array, beta = 1): Tensor1D {
  const n = offsets.length - 1;
  const ids = segmentIdsOf(offsets);
  const s = logits.dataSync();
  const max = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    let m = -Infinity;
    for (let p = offsets[b]!; p < offsets[b + 1]!; p++) if (s[p]! > m) m = s[p]!;
    max[b] = Number.isFinite(m) ? m : 0;
  }
  return tf.tidy(() => {
    const idx = tf.tensor1d(ids, 'int32');
    const m = tf.gather(tf.tensor1d(max), idx);
    const e = tf.exp(tf.sub(logits, m));
    const z = tf.gather(tf.unsortedSegmentSum(e, idx, n), idx);
    const y = tf.div(e, beta === 1 ? z : tf.pow(z, beta));
    return (beta === 1 ? y : tf.mul(y, tf.exp(tf.mul(m, 1 - beta)))) as Tensor1D;
  });
}

/**
 * Weighted sum of table rows per segment: `out[b, :] = Σ_{p ∈ segment b} weights[p] · table[rows[p], :]`,
 * `[offsets.length − 1, D]` (empty segments give zero rows). NAIS's `Σ_j a_ij q_j` and the content
 * profile `Σ_j (r_uj − r̄_u) x_j` of a user (TKDE 2018, eq. 4). Differentiable w.r.t. `weights` and `table`.
 */
export function segmentWeightedSum(
  weights: Tensor1D,
  table: Tensor2D,
  rows: Int32Array,
  offsets: Int32Array,
): Tensor2D {
  checkSegmentOffsets(offsets, rows.length, 'segmentWeightedSum');
  if (weights.shape[0] !== rows.length) {
    throw new NcfError(
      'SHAPE_MISMATCH',
      `segmentWeightedSum: ${weights.shape[0]} weights for ${rows.length} rows (one weight per entry)`,
    );
  }
  checkRows(rows, table.shape[0], 'segmentWeightedSum');
  if (
    !kernelsRegistered(SEGMENT_WEIGHTED_SUM, SEGMENT_WEIGHTED_SUM_GRAD) ||
    weights.dtype !== 'float32' ||
    table.dtype !== 'float32'
  ) {
    return segmentWeightedSumComposite(weights, table, rows, offsets);
  }
  const attrs = { offsets, rows } as unknown as NamedAttrMap;
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const w = args[0] as Tensor;
    const t = args[1] as Tensor;
    (args[2] as GradSaveFunc)([w, t]);
    return {
      value: tf.engine().runKernel(SEGMENT_WEIGHTED_SUM, { weights: w, table: t }, attrs) as Tensor2D,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) =>
        tf
          .engine()
          .runKernel(
            SEGMENT_WEIGHTED_SUM_GRAD,
            { dy: dy as Tensor, weights: saved[0]!, table: saved[1]! },
            attrs,
          ) as Tensor[],
    };
  });
  return op(weights, table) as Tensor2D;
}

/** {@link segmentWeightedSum} from stock tfjs ops: gather, multiply, unsortedSegmentSum. */
export function segmentWeightedSumComposite(
  weights: Tensor1D,
  table: Tensor2D,
  rows: Int32Array,
  offsets: Int32Array,
): Tensor2D {
  const n = offsets.length - 1;
  return tf.tidy(() => {
    const g = tf.gather(table, tf.tensor1d(rows, 'int32'));
    const x = tf.mul(g, tf.reshape(weights, [rows.length, 1]));
    return tf.unsortedSegmentSum(x, tf.tensor1d(segmentIdsOf(offsets), 'int32'), n) as Tensor2D;
  });
}

/** Inverted dropout on the attention network's hidden units (a hash mask, reproducible from the seed; the rate is applied as a multiple of 1/256). */
export interface PairDropout {
  readonly rate: number;
  readonly seed: number;
}

/**
 * Logits of NAIS's attention network for ragged (sample, history item) pairs (TKDE 2018, eq. 5, the
 * concatenation form): `s_p = Σ_k w_k · relu(a[seg(p), k] + c[rows[p], k])`, where `a = e_cand W₁ᶜ + b₁`
 * (once per sample) and `c = e_hist W₁ʰ` (once per distinct history item) are the two halves of the first
 * layer on `[e_cand; e_hist]`. The `[P, H]` hidden layer is never stored. Differentiable w.r.t. `a`, `c`, `w`.
 */
export function pairAttentionLogits(
  a: Tensor2D,
  c: Tensor2D,
  w: Tensor1D,
  rows: Int32Array,
  offsets: Int32Array,
  dropout?: PairDropout,
): Tensor1D {
  checkSegmentOffsets(offsets, rows.length, 'pairAttentionLogits');
  const h = a.shape[1];
  if (a.shape[0] !== offsets.length - 1 || c.shape[1] !== h || w.shape[0] !== h) {
    throw new NcfError(
      'SHAPE_MISMATCH',
      `pairAttentionLogits: a [${a.shape.join(',')}] needs one row per segment (${offsets.length - 1}), c [${c.shape.join(',')}] and w [${w.shape.join(',')}] the width ${h}`,
    );
  }
  checkRows(rows, c.shape[0], 'pairAttentionLogits');
  const rate = dropout?.rate ?? 0;
  const seed = dropout?.seed ?? 0;
  if (!(rate >= 0 && rate < 1)) {
    throw new ConfigError(`pairAttentionLogits: dropout rate must be in [0, 1), got ${rate}`, 'dropout');
  }
  if (!kernelsRegistered(PAIR_LOGITS, PAIR_LOGITS_GRAD) || a.dtype !== 'float32' || c.dtype !== 'float32') {
    return pairAttentionLogitsComposite(a, c, w, rows, offsets, dropout);
  }
  const attrs = { offsets, rows, dropRate: rate, dropSeed: seed | 0 } as unknown as NamedAttrMap;
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [x, y, z] = args as Tensor[];
    (args[3] as unknown as GradSaveFunc)([x!, y!, z!]);
    return {
      value: tf.engine().runKernel(PAIR_LOGITS, { a: x!, c: y!, w: z! }, attrs) as Tensor1D,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) =>
        tf
          .engine()
          .runKernel(
            PAIR_LOGITS_GRAD,
            { dy: dy as Tensor, a: saved[0]!, c: saved[1]!, w: saved[2]! },
            attrs,
          ) as Tensor[],
    };
  });
  return op(a, c, w) as Tensor1D;
}

/** {@link pairAttentionLogits} from stock tfjs ops: two gathers, add, relu, (mask), matMul. */
export function pairAttentionLogitsComposite(
  a: Tensor2D,
  c: Tensor2D,
  w: Tensor1D,
  rows: Int32Array,
  offsets: Int32Array,
  dropout?: PairDropout,
): Tensor1D {
  const total = rows.length;
  const h = a.shape[1];
  return tf.tidy(() => {
    let x: Tensor = tf.relu(
      tf.add(
        tf.gather(a, tf.tensor1d(segmentIdsOf(offsets), 'int32')),
        tf.gather(c, tf.tensor1d(rows, 'int32')),
      ),
    );
    const rate = dropout?.rate ?? 0;
    if (Math.round(rate * 256) > 0) {
      const seed = dropout!.seed | 0;
      const table = dropoutMaskTable(seed, rate, h);
      const mask = new Float32Array(total * h);
      for (let p = 0; p < total; p++)
        mask.set(table.subarray(maskRowOf(p, seed) * h, (maskRowOf(p, seed) + 1) * h), p * h);
      x = tf.mul(x, tf.tensor2d(mask, [total, h]));
    }
    return tf.reshape(tf.matMul(x as Tensor2D, tf.reshape(w, [h, 1])), [total]) as Tensor1D;
  });
}
