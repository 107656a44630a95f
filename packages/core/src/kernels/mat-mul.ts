import { broadcast_util, type KernelBackend, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { allocOutput, liveFloat32 } from './memory.js';

/**
 * Matrix products in plain JavaScript for the `cpu` backend, whose stock BatchMatMul (and _FusedMatMul,
 * which calls it) ran a dense layer's backward pass at a small fraction of what a loop with contiguous
 * register reuse achieve (see {@link gemm}).
 */

/**
 * `c[M×N] += op(a)·op(b)` for one batch entry at the given offsets, any transposes, without copying an
 * operand: both operands are read through strides (`A(i,p) = a[aOff + i·ais + p·aps]`, `B(p,j) = b[bOff +
 * p·bps + j·bjs]`) and C is computed in 4×4 register tiles (sixteen running sums over the shared dimension,
 * eight loads per sixteen multiply-adds, C written once). Measured on the dev machine at the train-throughput
 * sizes: ~2× the previous row-at-a-time loops, which loaded and stored C on every multiply-add.
 */
export function gemm(
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  c: Float32Array,
  cOff: number,
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
): void {
  const ais = transposeA ? 1 : k;
  const aps = transposeA ? m : 1;
  const bps = transposeB ? 1 : n;
  const bjs = transposeB ? k : 1;
  gemmStrided(a, aOff, ais, aps, b, bOff, bps, bjs, c, cOff, m, k, n);
}

function gemmStrided(
  a: Float32Array,
  aOff: number,
  ais: number,
  aps: number,
  b: Float32Array,
  bOff: number,
  bps: number,
  bjs: number,
  c: Float32Array,
  cOff: number,
  m: number,
  k: number,
  n: number,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = aOff + i * ais;
    const a1 = a0 + ais;
    const a2 = a1 + ais;
    const a3 = a2 + ais;
    for (let j = 0; j < n4; j += 4) {
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      let s20 = 0,
        s21 = 0,
        s22 = 0,
        s23 = 0,
        s30 = 0,
        s31 = 0,
        s32 = 0,
        s33 = 0;
      const bj0 = bOff + j * bjs;
      const bj1 = bj0 + bjs;
      const bj2 = bj1 + bjs;
      const bj3 = bj2 + bjs;
      for (let p = 0; p < k; p++) {
        const bp = p * bps;
        const ap = p * aps;
        const b0 = b[bj0 + bp]!;
        const b1 = b[bj1 + bp]!;
        const b2 = b[bj2 + bp]!;
        const b3 = b[bj3 + bp]!;
        const x0 = a[a0 + ap]!;
        const x1 = a[a1 + ap]!;
        const x2 = a[a2 + ap]!;
        const x3 = a[a3 + ap]!;
        s00 += x0 * b0;
        s01 += x0 * b1;
        s02 += x0 * b2;
        s03 += x0 * b3;
        s10 += x1 * b0;
        s11 += x1 * b1;
        s12 += x1 * b2;
        s13 += x1 * b3;
        s20 += x2 * b0;
        s21 += x2 * b1;
        s22 += x2 * b2;
        s23 += x2 * b3;
        s30 += x3 * b0;
        s31 += x3 * b1;
        s32 += x3 * b2;
        s33 += x3 * b3;
      }
      const c0 = cOff + i * n + j;
      const c1 = c0 + n;
      const c2 = c1 + n;
      const c3 = c2 + n;
      c[c0] = c[c0]! + s00;
      c[c0 + 1] = c[c0 + 1]! + s01;
      c[c0 + 2] = c[c0 + 2]! + s02;
      c[c0 + 3] = c[c0 + 3]! + s03;
      c[c1] = c[c1]! + s10;
      c[c1 + 1] = c[c1 + 1]! + s11;
      c[c1 + 2] = c[c1 + 2]! + s12;
      c[c1 + 3] = c[c1 + 3]! + s13;
      c[c2] = c[c2]! + s20;
      c[c2 + 1] = c[c2 + 1]! + s21;
      c[c2 + 2] = c[c2 + 2]! + s22;
      c[c2 + 3] = c[c2 + 3]! + s23;
      c[c3] = c[c3]! + s30;
      c[c3 + 1] = c[c3 + 1]! + s31;
      c[c3 + 2] = c[c3 + 2]! + s32;
      c[c3 + 3] = c[c3 + 3]! + s33;
    }
    // Columns past the last full tile.
    for (let j = n4; j < n; j++) {
      const bj = bOff + j * bjs;
      for (let r = 0; r < 4; r++) {
        const ai = a0 + r * ais;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p * aps]! * b[bj + p * bps]!;
        const ci = cOff + (i + r) * n + j;
        c[ci] = c[ci]! + s;
      }
    }
  }
  // Rows past the last full tile.
  for (let i = m4; i < m; i++) {
    const ai = aOff + i * ais;
    for (let j = 0; j < n; j++) {
      const bj = bOff + j * bjs;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p * aps]! * b[bj + p * bps]!;
      const ci = cOff + i * n + j;
      c[ci] = c[ci]! + s;
    }
  }
}

export interface MatMulPlan {
  readonly outShape: number[];
  readonly batchA: number;
  readonly batchB: number;
  readonly batch: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

export function plan(
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): MatMulPlan | undefined {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return undefined;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const ka = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (ka !== kb) {
    throw new Error(
      `Error in matMul: inner shapes (${ka}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
    );
  }
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = outerA.reduce((x, y) => x * y, 1);
  const batchB = outerB.reduce((x, y) => x * y, 1);
  const outer = broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  const batch = outer.reduce((x, y) => x * y, 1);
  // Only whole-batch broadcasting (equal batches, or one side a single matrix) is handled here.
  if (!(batchA === batchB || batchA === 1 || batchB === 1)) return undefined;
  return { outShape: [...outer, m, n], batchA, batchB, batch, m, k: ka, n };
}

/** Computes `op(a)·op(b)` into a new float32 tensor; undefined for cases left to the stock kernel. */
export function matMulJs(
  backend: KernelBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const p = plan(a, b, transposeA, transposeB);
  if (p === undefined) return undefined;
  const out = allocOutput(backend, p.outShape, 'float32', true);
  if (p.batch * p.m * p.n === 0 || p.k === 0) return out;
  const av = liveFloat32(a, backend);
  const bv = liveFloat32(b, backend);
  const cv = liveFloat32(out, backend);
  const sa = p.m * p.k;
  const sb = p.k * p.n;
  const sc = p.m * p.n;
  for (let t = 0; t < p.batch; t++) {
    const oa = p.batchA === 1 ? 0 : t * sa;
    const ob = p.batchB === 1 ? 0 : t * sb;
    gemm(av, oa, bv, ob, cv, t * sc, p.m, p.k, p.n, transposeA, transposeB);
  }
  return out;
}

/** BatchMatMul for `cpu`. */
export function batchMatMulJs(args: Parameters<KernelFunc>[0]): TensorInfo | undefined {
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  return matMulJs(
    args.backend as KernelBackend,
    args.inputs.a as TensorInfo,
    args.inputs.b as TensorInfo,
    !!transposeA,
    !!transposeB,
  );
}

/** _FusedMatMul (product, bias, activation) for `cpu`; prelu and unusual bias shapes go to the stock kernel. */
export function fusedMatMulJs(args: Parameters<KernelFunc>[0]): TensorInfo | undefined {
  const backend = args.backend as KernelBackend;
  const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
  const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as {
    transposeA: boolean;
    transposeB: boolean;
    activation?: string;
    leakyreluAlpha?: number;
  };
  const act = activation ?? 'linear';
  if (
    preluActivationWeights != null ||
    !['linear', 'relu', 'relu6', 'sigmoid', 'elu', 'leakyrelu'].includes(act)
  ) {
    return undefined;
  }
  if (bias != null && bias.dtype !== 'float32') return undefined;
  const p = plan(a!, b!, !!transposeA, !!transposeB);
  if (p === undefined) return undefined;
  const n = p.n;
  const total = p.batch * p.m * n;
  if (bias != null) {
    const bs = bias.shape.reduce((x, y) => x * y, 1);
    if (!(bs === 1 || (bs === n && bias.shape[bias.shape.length - 1] === n) || bs === total))
      return undefined;
  }
  const out = matMulJs(backend, a!, b!, !!transposeA, !!transposeB);
  if (out === undefined) return undefined;
  const c = liveFloat32(out, backend);
  if (bias != null) {
    const bv = liveFloat32(bias, backend);
    if (bv.length === 1) {
      const x = bv[0]!;
      for (let i = 0; i < total; i++) c[i] = c[i]! + x;
    } else if (bv.length === n) {
      for (let i = 0; i < total; i += n) for (let j = 0; j < n; j++) c[i + j] = c[i + j]! + bv[j]!;
    } else {
      for (let i = 0; i < total; i++) c[i] = c[i]! + bv[i]!;
    }
  }
  applyActivation(c, act, leakyreluAlpha ?? 0.2);
  return out;
}

function applyActivation(c: Float32Array, act: string, alpha: number): void {
  const len = c.length;
  switch (act) {
    case 'relu':
      for (let i = 0; i < len; i++) if (c[i]! < 0) c[i] = 0;
      break;
    case 'relu6':
      for (let i = 0; i < len; i++) c[i] = Math.min(Math.max(c[i]!, 0), 6);
      break;
    case 'sigmoid':
      for (let i = 0; i < len; i++) c[i] = 1 / (1 + Math.exp(-c[i]!));
      break;
    case 'elu':
      for (let i = 0; i < len; i++) if (c[i]! < 0) c[i] = Math.exp(c[i]!) - 1;
      break;
    case 'leakyrelu':
      for (let i = 0; i < len; i++) if (c[i]! < 0) c[i] = alpha * c[i]!;
      break;
    default:
      break;
  }
}
