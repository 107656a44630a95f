import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernelsFor } from '../simd/simd-kernels.js';
import { allocOutput, liveFloat32 } from './memory.js';

/**
 * Additive attention logits over ragged pairs without materialising the `[P, H]` hidden layer: for pair `p`
 * in segment `b` (CSR `offsets`) with table row `r = rows[p]`,
 * `s_p = Σ_k w_k · keep(p, k) · relu(a[b, k] + c[r, k])`. It is the two-layer attention network of NAIS
 * (He et al., TKDE 2018) on `[candidate; history item]` with the first layer split into the candidate half
 * (`a`, once per sample) and the item half (`c`, once per distinct item); the output layer's bias is left out
 * because a softmax over the segment cancels it. `keep` is inverted dropout on the hidden units: a table of
 * {@link MASK_ROWS} random mask rows is drawn from `dropSeed` (rate quantised to 1/256) and pair `p` uses
 * row `maskRowOf(p, seed)`, so each unit is dropped with the rate, independently within a pair, and the
 * backward pass recomputes the mask instead of storing `P × H` of it. On `wasm` with SIMD (H a multiple of 4)
 * both directions run in the SIMD module (`pair_logits*` in `kernels.wat`), else in JavaScript; the two agree
 * to float32 rounding.
 */

/** Kernel name of the pair logits. */
export const PAIR_LOGITS = 'NcfPairLogits';
/** Kernel name of their gradient (outputs `da`, `dc`, `dw`). */
export const PAIR_LOGITS_GRAD = 'NcfPairLogitsGrad';
/** Rows of the dropout mask table (a power of two). */
export const MASK_ROWS = 1024;

/** Attributes of the pair-logit kernels. */
export interface PairLogitsAttrs {
  readonly offsets: Int32Array;
  readonly rows: Int32Array;
  /** Dropout rate on the hidden units, in [0, 1); 0 turns the mask off. */
  readonly dropRate: number;
  /** Seed of the mask (a step's RNG draws it). */
  readonly dropSeed: number;
}

/** murmur3's 32-bit finaliser of `(seed, index)`. */
export function mixHash(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index, 0x9e3779b1)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The mask row of pair `p` (the same arithmetic as `$mask_row` in `kernels.wat`). */
export function maskRowOf(p: number, seed: number): number {
  let x = (Math.imul(p, 0x9e3779b1) + seed) | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  return x & (MASK_ROWS - 1);
}

/** The dropout rate as applied: a multiple of 1/256. 0.2 → 51/256. */
export function quantizedDropRate(rate: number): number {
  return Math.round(rate * 256) / 256;
}

/** The `MASK_ROWS × width` mask table of `seed`: 0 for a dropped unit, else the keep scale 1/(1 − rate). */
export function dropoutMaskTable(seed: number, rate: number, width: number): Float32Array {
  const cut = Math.round(rate * 256);
  const scale = cut === 0 ? 1 : 256 / (256 - cut);
  const t = new Float32Array(MASK_ROWS * width);
  for (let idx = 0; idx < t.length; idx++) {
    const byte = (mixHash(seed, idx >>> 2) >>> ((idx & 3) << 3)) & 255;
    t[idx] = byte >= cut ? scale : 0;
  }
  return t;
}

/** Whether hidden unit `k` of pair `p` is kept (for references and tests). */
export function pairUnitKept(seed: number, p: number, k: number, width: number, rate: number): boolean {
  return dropoutMaskTable(seed, rate, width)[maskRowOf(p, seed) * width + k] !== 0;
}

function segmentIds(offsets: Int32Array): Int32Array {
  const ids = new Int32Array(offsets[offsets.length - 1]!);
  for (let b = 0; b + 1 < offsets.length; b++) ids.fill(b, offsets[b]!, offsets[b + 1]!);
  return ids;
}

/** Runs `f` with the attrs' arrays (and the mask table) in the wasm heap; frees them after. */
function withHeapArrays<T>(
  simd: NonNullable<ReturnType<typeof simdKernelsFor>>,
  attrs: PairLogitsAttrs,
  h: number,
  f: (seg: number, rows: number, mask: number) => T,
): T {
  const seg = simd.writeInt32(0, segmentIds(attrs.offsets));
  const rows = simd.writeInt32(1, attrs.rows);
  let mask = 0;
  if (Math.round(attrs.dropRate * 256) > 0) {
    const table = dropoutMaskTable(attrs.dropSeed, attrs.dropRate, h);
    mask = simd.malloc(4 * table.length);
    new Float32Array(simd.memory.buffer, mask, table.length).set(table);
  }
  try {
    return f(seg, rows, mask);
  } finally {
    if (mask !== 0) simd.free(mask);
  }
}

/** Inputs `a` `[n, H]`, `c` `[m, H]`, `w` `[H]`; attrs {@link PairLogitsAttrs}. Output `[P]`. */
export const pairLogitsForward: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const at = args.inputs.a as TensorInfo;
  const ct = args.inputs.c as TensorInfo;
  const wt = args.inputs.w as TensorInfo;
  const attrs = args.attrs as unknown as PairLogitsAttrs;
  const { offsets, rows, dropRate, dropSeed } = attrs;
  const h = at.shape[1]!;
  const out = allocOutput(backend, [rows.length], 'float32');
  if (rows.length === 0) return out;
  const simd = h % 4 === 0 ? simdKernelsFor(backend) : undefined;
  if (simd !== undefined) {
    withHeapArrays(simd, attrs, h, (seg, r, mask) =>
      simd.pairLogits(
        simd.offsetOf(at),
        simd.offsetOf(ct),
        simd.offsetOf(wt),
        mask,
        dropSeed | 0,
        MASK_ROWS - 1,
        seg,
        r,
        rows.length,
        h,
        simd.offsetOf(out),
      ),
    );
    return out;
  }
  const table = Math.round(dropRate * 256) > 0 ? dropoutMaskTable(dropSeed, dropRate, h) : undefined;
  const a = liveFloat32(at, backend);
  const c = liveFloat32(ct, backend);
  const w = liveFloat32(wt, backend);
  const s = liveFloat32(out, backend);
  const n = offsets.length - 1;
  for (let b = 0; b < n; b++) {
    const ab = b * h;
    const end = offsets[b + 1]!;
    for (let p = offsets[b]!; p < end; p++) {
      const cb = rows[p]! * h;
      let acc = 0;
      if (table) {
        const mb = maskRowOf(p, dropSeed | 0) * h;
        for (let k = 0; k < h; k++) {
          const x = a[ab + k]! + c[cb + k]!;
          if (x > 0) acc += w[k]! * x * table[mb + k]!;
        }
      } else {
        for (let k = 0; k < h; k++) {
          const x = a[ab + k]! + c[cb + k]!;
          if (x > 0) acc += w[k]! * x;
        }
      }
      s[p] = acc;
    }
  }
  return out;
};

/** Inputs `dy` `[P]`, `a`, `c`, `w`; attrs {@link PairLogitsAttrs}. Outputs `[da, dc, dw]`. */
export const pairLogitsBackward: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const dyt = args.inputs.dy as TensorInfo;
  const at = args.inputs.a as TensorInfo;
  const ct = args.inputs.c as TensorInfo;
  const wt = args.inputs.w as TensorInfo;
  const attrs = args.attrs as unknown as PairLogitsAttrs;
  const { offsets, rows, dropRate, dropSeed } = attrs;
  const h = at.shape[1]!;
  const da = allocOutput(backend, at.shape.slice(), 'float32', true);
  const dc = allocOutput(backend, ct.shape.slice(), 'float32', true);
  const dw = allocOutput(backend, [h], 'float32', true);
  if (rows.length === 0) return [da, dc, dw];
  const simd = h % 4 === 0 ? simdKernelsFor(backend) : undefined;
  if (simd !== undefined) {
    withHeapArrays(simd, attrs, h, (seg, r, mask) =>
      simd.pairLogitsGrad(
        simd.offsetOf(dyt),
        simd.offsetOf(at),
        simd.offsetOf(ct),
        simd.offsetOf(wt),
        mask,
        dropSeed | 0,
        MASK_ROWS - 1,
        seg,
        r,
        rows.length,
        h,
        simd.offsetOf(da),
        simd.offsetOf(dc),
        simd.offsetOf(dw),
      ),
    );
    return [da, dc, dw];
  }
  const table = Math.round(dropRate * 256) > 0 ? dropoutMaskTable(dropSeed, dropRate, h) : undefined;
  const g = liveFloat32(dyt, backend);
  const a = liveFloat32(at, backend);
  const c = liveFloat32(ct, backend);
  const w = liveFloat32(wt, backend);
  const dav = liveFloat32(da, backend);
  const dcv = liveFloat32(dc, backend);
  const dwv = liveFloat32(dw, backend);
  const n = offsets.length - 1;
  // dw accumulates in float64 (summed over every pair); da/dc rows are short sums.
  const dwAcc = new Float64Array(h);
  for (let b = 0; b < n; b++) {
    const ab = b * h;
    const end = offsets[b + 1]!;
    for (let p = offsets[b]!; p < end; p++) {
      const gp = g[p]!;
      if (gp === 0) continue;
      const cb = rows[p]! * h;
      const mb = table ? maskRowOf(p, dropSeed | 0) * h : 0;
      for (let k = 0; k < h; k++) {
        const x = a[ab + k]! + c[cb + k]!;
        if (!(x > 0)) continue;
        const gm = table ? gp * table[mb + k]! : gp;
        if (gm === 0) continue;
        const gx = gm * w[k]!;
        dav[ab + k] = dav[ab + k]! + gx;
        dcv[cb + k] = dcv[cb + k]! + gx;
        dwAcc[k]! += gm * x;
      }
    }
  }
  for (let k = 0; k < h; k++) dwv[k] = dwAcc[k]!;
  return [da, dc, dw];
};
