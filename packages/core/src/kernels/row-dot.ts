import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { allocOutput, liveFloat32 } from './memory.js';

/**
 * Row-wise dot product `out[i] = Σ_k a[i,k]·b[i,k]` and its gradient `da = dy[i]·b[i,:]`, `db = dy[i]·a[i,:]`,
 * one kernel each: MF's and BPR's score. Registered for `cpu` only, where `sum(mul(a, b), 1)` and its gradient
 * (tfjs's Sum gradient builds `ones(a.shape)` and multiplies it in) took ~70 ms at batch 1024 × 192 factors
 * against ~6 ms here. On `wasm` the native Multiply and Sum kernels run the same arithmetic faster than this
 * JavaScript loop (1.6 ms forward alone), so `rowDot` composes them there with a direct gradient.
 */

/** Kernel name of the row-wise dot product. */
export const ROW_DOT = 'NcfRowDot';
/** Kernel name of its gradient (two outputs, `da` and `db`). */
export const ROW_DOT_GRAD = 'NcfRowDotGrad';

function checkPair(a: TensorInfo, b: TensorInfo): [number, number] {
  if (
    a.dtype !== 'float32' ||
    b.dtype !== 'float32' ||
    a.shape.length !== 2 ||
    b.shape.length !== 2 ||
    a.shape[0] !== b.shape[0] ||
    a.shape[1] !== b.shape[1]
  ) {
    throw new Error(
      `${ROW_DOT}: a and b must be float32 matrices of one shape, got ${a.dtype} [${a.shape.join(',')}] and ${b.dtype} [${b.shape.join(',')}]`,
    );
  }
  return [a.shape[0]!, a.shape[1]!];
}

/** Inputs `a`, `b` `[n, d]`; output `[n]`. */
export const rowDotForward: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const a = args.inputs.a as TensorInfo;
  const b = args.inputs.b as TensorInfo;
  const [n, d] = checkPair(a, b);
  const out = allocOutput(backend, [n], 'float32');
  if (n === 0) return out;
  const av = liveFloat32(a, backend);
  const bv = liveFloat32(b, backend);
  const ov = liveFloat32(out, backend);
  for (let i = 0, o = 0; i < n; i++, o += d) {
    let s = 0;
    for (let k = 0; k < d; k++) s += av[o + k]! * bv[o + k]!;
    ov[i] = s;
  }
  return out;
};

/** Inputs `dy` `[n]`, `a`, `b` `[n, d]`; outputs `[da, db]`, each `[n, d]`. */
export const rowDotBackward: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const dy = args.inputs.dy as TensorInfo;
  const a = args.inputs.a as TensorInfo;
  const b = args.inputs.b as TensorInfo;
  const [n, d] = checkPair(a, b);
  if (dy.dtype !== 'float32' || dy.shape.reduce((p, q) => p * q, 1) !== n) {
    throw new Error(`${ROW_DOT_GRAD}: dy must be float32 with ${n} values, got [${dy.shape.join(',')}]`);
  }
  const da = allocOutput(backend, [n, d], 'float32');
  const db = allocOutput(backend, [n, d], 'float32');
  if (n === 0 || d === 0) return [da, db];
  const gv = liveFloat32(dy, backend);
  const av = liveFloat32(a, backend);
  const bv = liveFloat32(b, backend);
  const dav = liveFloat32(da, backend);
  const dbv = liveFloat32(db, backend);
  for (let i = 0, o = 0; i < n; i++, o += d) {
    const g = gv[i]!;
    for (let k = 0; k < d; k++) {
      dav[o + k] = g * bv[o + k]!;
      dbv[o + k] = g * av[o + k]!;
    }
  }
  return [da, db];
};
