import { broadcast_util, type KernelBackend, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { allocOutput, liveFloat32 } from './memory.js';

/**
 * Matrix products in plain JavaScript for the `cpu` backend, whose stock BatchMatMul (and _FusedMatMul,
 * which calls it) ran a dense layer's backward pass at a small fraction of what a loop with contiguous
 * inner access achieves. Each transpose case has its own loop order so the innermost loop is contiguous:
 * `C = A·B` (i-k-j), `A·Bᵀ` (dot products of rows), `Aᵀ·B` (k-i-j), `Aᵀ·Bᵀ` (via `Bᵀ` copied).
 */

/** `c[M×N] += op(a)·op(b)` for one batch entry at the given offsets. */
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
  if (!transposeA && !transposeB) {
    for (let i = 0; i < m; i++) {
      const ci = cOff + i * n;
      const ai = aOff + i * k;
      for (let p = 0; p < k; p++) {
        const aip = a[ai + p]!;
        if (aip === 0) continue;
        const bp = bOff + p * n;
        for (let j = 0; j < n; j++) c[ci + j] = c[ci + j]! + aip * b[bp + j]!;
      }
    }
  } else if (!transposeA && transposeB) {
    for (let i = 0; i < m; i++) {
      const ai = aOff + i * k;
      const ci = cOff + i * n;
      for (let j = 0; j < n; j++) {
        const bj = bOff + j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
        c[ci + j] = c[ci + j]! + s;
      }
    }
  } else if (transposeA && !transposeB) {
    // a is [k, m], b is [k, n].
    for (let p = 0; p < k; p++) {
      const ap = aOff + p * m;
      const bp = bOff + p * n;
      for (let i = 0; i < m; i++) {
        const api = a[ap + i]!;
        if (api === 0) continue;
        const ci = cOff + i * n;
        for (let j = 0; j < n; j++) c[ci + j] = c[ci + j]! + api * b[bp + j]!;
      }
    }
  } else {
    const bt = new Float32Array(k * n);
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) bt[p * n + j] = b[bOff + j * k + p]!;
    gemm(a, aOff, bt, 0, c, cOff, m, k, n, true, false);
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
