import { broadcast_util, type KernelBackend, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { allocOutput, liveFloat32 } from './memory.js';

/**
 * Matrix products in plain JavaScript for the `cpu` backend, whose stock BatchMatMul (and _FusedMatMul,
 * which calls it) ran a dense layer's backward pass at a small fraction of what a loop with contiguous
 * inner access and register reuse achieve (see {@link gemm}).
 */

/**
 * `c[M×N] += op(a)·op(b)` for one batch entry at the given offsets. `A·B` runs four rows of C at a time
 * (each loaded row of B used four times), `A·Bᵀ` four dot products at a time; `Aᵀ·…` copies `Aᵀ` first.
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
  if (transposeA) {
    // a is [k, m]: copy its transpose ([m, k]) and continue with the row-major forms.
    const at = new Float32Array(m * k);
    for (let p = 0; p < k; p++) {
      const ap = aOff + p * m;
      for (let i = 0; i < m; i++) at[i * k + p] = a[ap + i]!;
    }
    gemm(at, 0, b, bOff, c, cOff, m, k, n, false, transposeB);
  } else if (transposeB) {
    gemmNT(a, aOff, b, bOff, c, cOff, m, k, n);
  } else {
    gemmNN(a, aOff, b, bOff, c, cOff, m, k, n);
  }
}

function gemmNN(
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  c: Float32Array,
  cOff: number,
  m: number,
  k: number,
  n: number,
): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const c0 = cOff + i * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    const a0 = aOff + i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    for (let p = 0; p < k; p++) {
      const x0 = a[a0 + p]!;
      const x1 = a[a1 + p]!;
      const x2 = a[a2 + p]!;
      const x3 = a[a3 + p]!;
      const bp = bOff + p * n;
      for (let j = 0; j < n; j++) {
        const bv = b[bp + j]!;
        c[c0 + j] = c[c0 + j]! + x0 * bv;
        c[c1 + j] = c[c1 + j]! + x1 * bv;
        c[c2 + j] = c[c2 + j]! + x2 * bv;
        c[c3 + j] = c[c3 + j]! + x3 * bv;
      }
    }
  }
  for (; i < m; i++) {
    const ci = cOff + i * n;
    const ai = aOff + i * k;
    for (let p = 0; p < k; p++) {
      const x = a[ai + p]!;
      const bp = bOff + p * n;
      for (let j = 0; j < n; j++) c[ci + j] = c[ci + j]! + x * b[bp + j]!;
    }
  }
}

function gemmNT(
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  c: Float32Array,
  cOff: number,
  m: number,
  k: number,
  n: number,
): void {
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * k;
    const ci = cOff + i * n;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = bOff + j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0; p < k; p++) {
        const x = a[ai + p]!;
        s0 += x * b[b0 + p]!;
        s1 += x * b[b1 + p]!;
        s2 += x * b[b2 + p]!;
        s3 += x * b[b3 + p]!;
      }
      c[ci + j] = c[ci + j]! + s0;
      c[ci + j + 1] = c[ci + j + 1]! + s1;
      c[ci + j + 2] = c[ci + j + 2]! + s2;
      c[ci + j + 3] = c[ci + j + 3]! + s3;
    }
    for (; j < n; j++) {
      const bj = bOff + j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
      c[ci + j] = c[ci + j]! + s;
    }
  }
}

interface MatMulPlan {
  readonly outShape: number[];
  readonly batchA: number;
  readonly batchB: number;
  readonly batch: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

function plan(
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
