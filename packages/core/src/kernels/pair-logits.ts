import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { allocOutput, liveFloat32 } from './memory.js';

/**
 * Additive attention logits over ragged pairs without materialising the `[P, H]` hidden layer: for pair `p`
 * in segment `b` (CSR `offsets`) with table row `r = rows[p]`,
 * `s_p = Σ_k w_k · keep(p, k) · relu(a[b, k] + c[r, k])`. It is the two-layer attention network of NAIS
 * (He et al., TKDE 2018) on `[candidate; history item]` with the first layer split into the candidate half
 * (`a`, once per sample) and the item half (`c`, once per distinct item); the output layer's bias is left out
 * because a softmax over the segment cancels it. `keep` is inverted dropout on the hidden units with a
 * counter-based hash mask (`dropSeed`, `dropRate` quantised to 1/256, see {@link quantizedDropRate}), so the backward pass recomputes the same mask instead of
 * storing `P × H` of it. Forward and backward are one pass over `P × H` each.
 */

/** Kernel name of the pair logits. */
export const PAIR_LOGITS = 'NcfPairLogits';
/** Kernel name of their gradient (outputs `da`, `dc`, `dw`). */
export const PAIR_LOGITS_GRAD = 'NcfPairLogitsGrad';

/** Attributes of the pair-logit kernels. */
export interface PairLogitsAttrs {
  readonly offsets: Int32Array;
  readonly rows: Int32Array;
  /** Dropout rate on the hidden units, in [0, 1); 0 turns the mask off. */
  readonly dropRate: number;
  /** Seed of the hash mask (a step's RNG draws it). */
  readonly dropSeed: number;
}

/** murmur3's 32-bit finaliser: a well-mixed hash of `(seed, index)` for the dropout mask. */
export function mixHash(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index, 0x9e3779b1)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The dropout rate as the kernels apply it: a multiple of 1/256 (each unit's keep decision is one byte of a
 * hash shared by four consecutive units, a quarter of the hashing of one hash per unit). 0.2 → 51/256.
 */
export function quantizedDropRate(rate: number): number {
  return Math.round(rate * 256) / 256;
}

/** Whether hidden unit `k` of pair `p` is kept (see {@link quantizedDropRate}). */
export function pairUnitKept(seed: number, p: number, k: number, width: number, rate: number): boolean {
  const idx = p * width + k;
  return ((mixHash(seed, idx >>> 2) >>> ((idx & 3) << 3)) & 255) >= Math.round(rate * 256);
}

/** Keep scale `1/(1 − rate)` of the quantised rate. */
function keepScale(rate: number): number {
  const cut = Math.round(rate * 256);
  return cut === 0 ? 1 : 256 / (256 - cut);
}

/** Inputs `a` `[n, H]`, `c` `[m, H]`, `w` `[H]`; attrs {@link PairLogitsAttrs}. Output `[P]`. */
export const pairLogitsForward: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const at = args.inputs.a as TensorInfo;
  const ct = args.inputs.c as TensorInfo;
  const wt = args.inputs.w as TensorInfo;
  const { offsets, rows, dropRate, dropSeed } = args.attrs as unknown as PairLogitsAttrs;
  const h = at.shape[1]!;
  const out = allocOutput(backend, [rows.length], 'float32');
  if (rows.length === 0) return out;
  const a = liveFloat32(at, backend);
  const c = liveFloat32(ct, backend);
  const w = liveFloat32(wt, backend);
  const s = liveFloat32(out, backend);
  const n = offsets.length - 1;
  const cut = Math.round(dropRate * 256);
  const drop = cut > 0;
  const scale = keepScale(dropRate);
  for (let b = 0; b < n; b++) {
    const ab = b * h;
    const end = offsets[b + 1]!;
    for (let p = offsets[b]!; p < end; p++) {
      const cb = rows[p]! * h;
      let acc = 0;
      if (drop) {
        const base = p * h;
        let group = -1;
        let bits = 0;
        for (let k = 0; k < h; k++) {
          const x = a[ab + k]! + c[cb + k]!;
          if (!(x > 0)) continue;
          const idx = base + k;
          if (idx >>> 2 !== group) {
            group = idx >>> 2;
            bits = mixHash(dropSeed, group);
          }
          if (((bits >>> ((idx & 3) << 3)) & 255) >= cut) acc += w[k]! * x;
        }
        acc *= scale;
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
  const { offsets, rows, dropRate, dropSeed } = args.attrs as unknown as PairLogitsAttrs;
  const h = at.shape[1]!;
  const da = allocOutput(backend, at.shape.slice(), 'float32', true);
  const dc = allocOutput(backend, ct.shape.slice(), 'float32', true);
  const dw = allocOutput(backend, [h], 'float32', true);
  if (rows.length === 0) return [da, dc, dw];
  const g = liveFloat32(dyt, backend);
  const a = liveFloat32(at, backend);
  const c = liveFloat32(ct, backend);
  const w = liveFloat32(wt, backend);
  const dav = liveFloat32(da, backend);
  const dcv = liveFloat32(dc, backend);
  const dwv = liveFloat32(dw, backend);
  const n = offsets.length - 1;
  const cut = Math.round(dropRate * 256);
  const drop = cut > 0;
  const scale = keepScale(dropRate);
  // dw accumulates in float64 (summed over every pair); da/dc rows are short sums.
  const dwAcc = new Float64Array(h);
  for (let b = 0; b < n; b++) {
    const ab = b * h;
    const end = offsets[b + 1]!;
    for (let p = offsets[b]!; p < end; p++) {
      const gp = g[p]! * scale;
      if (gp === 0) continue;
      const cb = rows[p]! * h;
      const base = p * h;
      let group = -1;
      let bits = 0;
      for (let k = 0; k < h; k++) {
        const x = a[ab + k]! + c[cb + k]!;
        if (!(x > 0)) continue;
        if (drop) {
          const idx = base + k;
          if (idx >>> 2 !== group) {
            group = idx >>> 2;
            bits = mixHash(dropSeed, group);
          }
          if (((bits >>> ((idx & 3) << 3)) & 255) < cut) continue;
        }
        const gx = gp * w[k]!;
        dav[ab + k] = dav[ab + k]! + gx;
        dcv[cb + k] = dcv[cb + k]! + gx;
        dwAcc[k]! += gp * x;
      }
    }
  }
  for (let k = 0; k < h; k++) dwv[k] = dwAcc[k]!;
  return [da, dc, dw];
};
