import * as tf from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernelsFor } from '../simd/simd-kernels.js';
import { productSimd } from './mat-mul-simd.js';
import { allocOutput, liveFloat32 } from './memory.js';

/**
 * Fused kernels for a stack of dense layers `h_l = act_l(h_{l-1} W_l + b_l)`, `h_0 = x`: one kernel runs the
 * whole forward pass (returning every `h_l`, which the backward pass needs), one kernel the whole backward
 * pass (returning `dx` and every `dW_l`, `db_l`). Written with tfjs's own ops a ReLU layer costs three
 * kernels forward (tfjs does not fuse bias and activation while recording gradients) and six to eight
 * backward (relu mask, two transposed products, bias sum, reshapes), each paying the engine's per-kernel
 * bookkeeping; at the NCF paper's sizes that bookkeeping, not arithmetic, is most of a step.
 *
 * The products go to the backend's own matrix kernels, called directly (no engine dispatch): on `wasm`
 * XNNPACK through `_FusedMatMul` / `BatchMatMul` (the kernel layer's transpose-first wrapper), on `cpu` the
 * kernel layer's JavaScript gemm. The ReLU mask and the bias gradient are plain loops over backend memory.
 * Registered for `wasm` and `cpu` only; `denseStack()` composes stock ops on other backends.
 */

/** Kernel name of the fused forward pass. */
export const DENSE_STACK = 'NcfDenseStack';
/** Kernel name of the fused backward pass. */
export const DENSE_STACK_GRAD = 'NcfDenseStackGrad';

/** Activations the fused kernels implement. */
export type DenseActivation = 'relu' | 'linear';

/** Attributes of both kernels: one activation per layer. */
export interface DenseStackAttrs {
  readonly activations: readonly DenseActivation[];
}

/** The kernel currently registered as `name` for the active backend (the kernel layer's, where it has one). */
function kernelFunc(name: string): KernelFunc {
  const k = tf.getKernel(name, tf.getBackend());
  if (k === undefined) throw new Error(`@ncf kernel layer: ${name} is not registered for ${tf.getBackend()}`);
  return k.kernelFunc;
}

/** `t` seen as rank 3 `[1, rows, cols]` (same memory; TensorInfos are plain descriptors). */
function as3d(t: TensorInfo, rows: number, cols: number): TensorInfo {
  return { dataId: t.dataId, shape: [1, rows, cols], dtype: t.dtype };
}

function matMul(
  backend: KernelBackend,
  a: TensorInfo,
  aShape: [number, number],
  b: TensorInfo,
  bShape: [number, number],
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo {
  const inner = transposeA ? aShape[0] : aShape[1];
  if (inner === 0) {
    // An empty shared dimension (an empty batch, for dW = xᵀ·g): the product is zeros. wasm's BatchMatMul
    // would return uninitialised memory here.
    return allocOutput(
      backend,
      [transposeA ? aShape[1] : aShape[0], transposeB ? bShape[0] : bShape[1]],
      'float32',
      true,
    );
  }
  const out = kernelFunc('BatchMatMul')({
    inputs: { a: as3d(a, aShape[0], aShape[1]), b: as3d(b, bShape[0], bShape[1]) },
    backend,
    attrs: { transposeA, transposeB },
  }) as TensorInfo;
  const rows = transposeA ? aShape[1] : aShape[0];
  const cols = transposeB ? bShape[0] : bShape[1];
  return { dataId: out.dataId, shape: [rows, cols], dtype: 'float32' };
}

function inputsOf(args: Parameters<KernelFunc>[0], prefix: string, count: number): TensorInfo[] {
  return Array.from({ length: count }, (_, l) => args.inputs[`${prefix}${l}`] as TensorInfo);
}

function check(x: TensorInfo, ws: readonly TensorInfo[], activations: readonly DenseActivation[]): void {
  if (x.dtype !== 'float32' || x.shape.length !== 2) {
    throw new Error(`${DENSE_STACK}: x must be a float32 matrix, got ${x.dtype} [${x.shape.join(',')}]`);
  }
  let width = x.shape[1]!;
  ws.forEach((w, l) => {
    if (w.dtype !== 'float32' || w.shape.length !== 2 || w.shape[0] !== width) {
      throw new Error(
        `${DENSE_STACK}: layer ${l} kernel must be float32 [${width}, n], got ${w.dtype} [${w.shape.join(',')}]`,
      );
    }
    const act = activations[l];
    if (act !== 'relu' && act !== 'linear')
      throw new Error(`${DENSE_STACK}: unsupported activation '${act}'`);
    width = w.shape[1]!;
  });
}

/**
 * Forward: inputs `x`, `w0`, `b0`, `w1`, `b1`, …; attrs {@link DenseStackAttrs}. Outputs `[h_1, …, h_L]`.
 */
export const denseStackForward: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const { activations } = args.attrs as unknown as DenseStackAttrs;
  const L = activations.length;
  const x = args.inputs.x as TensorInfo;
  const ws = inputsOf(args, 'w', L);
  const bs = inputsOf(args, 'b', L);
  check(x, ws, activations);
  const m = x.shape[0]!;
  const simd = simdKernelsFor(backend);
  if (simd !== undefined) {
    // wasm: each layer is one gemm call with the bias and the ReLU in its epilogue.
    const outs: TensorInfo[] = [];
    let h = x;
    for (let l = 0; l < L; l++) {
      const [k, n] = ws[l]!.shape as [number, number];
      const out = allocOutput(backend, [m, n], 'float32');
      const relu = activations[l] === 'relu' ? 2 : 0;
      simd.gemm(
        simd.offsetOf(h),
        k,
        1,
        simd.offsetOf(ws[l]!),
        n,
        simd.offsetOf(out),
        n,
        m,
        n,
        k,
        simd.offsetOf(bs[l]!),
        relu,
      );
      outs.push(out);
      h = out;
    }
    return outs;
  }
  const fused = kernelFunc('_FusedMatMul');
  const outs: TensorInfo[] = [];
  let h = x;
  for (let l = 0; l < L; l++) {
    const [k, n] = ws[l]!.shape as [number, number];
    const out = fused({
      inputs: { a: as3d(h, m, k), b: as3d(ws[l]!, k, n), bias: bs[l]! },
      backend,
      attrs: {
        transposeA: false,
        transposeB: false,
        activation: activations[l]!,
        leakyreluAlpha: 0,
      } as unknown as NamedAttrMap,
    }) as TensorInfo;
    h = { dataId: out.dataId, shape: [m, n], dtype: 'float32' };
    outs.push(h);
  }
  return outs;
};

/**
 * Backward: inputs `dy` (gradient of `h_L`), `x`, `w0…w{L-1}`, `h1…hL` (the forward outputs); attrs
 * {@link DenseStackAttrs}. Outputs `[dx, dW_0, db_0, dW_1, db_1, …]`.
 */
export const denseStackBackward: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const { activations } = args.attrs as unknown as DenseStackAttrs;
  const L = activations.length;
  const dyIn = args.inputs.dy as TensorInfo;
  const x = args.inputs.x as TensorInfo;
  const ws = inputsOf(args, 'w', L);
  const hs = inputsOf(args, 'h', L + 1).slice(1); // h1…hL
  check(x, ws, activations);
  const m = x.shape[0]!;
  const grads: TensorInfo[] = new Array<TensorInfo>(2 * L);
  const temps: TensorInfo[] = [];
  let dy = dyIn;
  let dx: TensorInfo | undefined;
  try {
    for (let l = L - 1; l >= 0; l--) {
      const [k, n] = ws[l]!.shape as [number, number];
      // g = dy ⊙ act'(h_l) (for ReLU: where h_l > 0) and db_l = Σ_rows g, in one pass.
      let g = dy;
      const db = allocOutput(backend, [n], 'float32', true);
      grads[2 * l + 1] = db;
      if (activations[l] === 'relu') {
        g = allocOutput(backend, [m, n], 'float32');
        temps.push(g);
      }
      const simd = simdKernelsFor(backend);
      if (simd !== undefined) {
        simd.reluBiasGrad(
          simd.offsetOf(dy),
          g !== dy ? simd.offsetOf(hs[l]!) : 0,
          g !== dy ? simd.offsetOf(g) : 0,
          simd.offsetOf(db),
          m,
          n,
        );
      } else {
        // Views after every allocation (a wasm malloc may move the heap).
        const bv = liveFloat32(db, backend);
        const dv = liveFloat32(dy, backend);
        if (g !== dy) {
          const gv = liveFloat32(g, backend);
          const hv = liveFloat32(hs[l]!, backend);
          for (let i = 0; i < m; i++) {
            const o = i * n;
            for (let j = 0; j < n; j++) {
              const val = hv[o + j]! > 0 ? dv[o + j]! : 0;
              gv[o + j] = val;
              bv[j] = bv[j]! + val;
            }
          }
        } else {
          for (let i = 0; i < m; i++) {
            const o = i * n;
            for (let j = 0; j < n; j++) bv[j] = bv[j]! + dv[o + j]!;
          }
        }
      }
      const input = l === 0 ? x : hs[l - 1]!;
      // dW_l = h_{l-1}ᵀ g, dh_{l-1} = g W_lᵀ.
      // On wasm the SIMD gemm (Aᵀ through strides, the small Wᵀ transposed first); else BatchMatMul.
      const dw =
        (simd && productSimd(backend, input, g, true, false, undefined, false)) ||
        matMul(backend, input, [m, k], g, [m, n], true, false);
      grads[2 * l] = dw;
      const dIn =
        (simd && productSimd(backend, g, ws[l]!, false, true, undefined, false)) ||
        matMul(backend, g, [m, n], ws[l]!, [k, n], false, true);
      if (l === 0) dx = dIn;
      else temps.push(dIn);
      dy = dIn;
    }
  } catch (e) {
    for (const t of grads) if (t !== undefined) backend.disposeData(t.dataId);
    if (dx !== undefined) backend.disposeData(dx.dataId);
    throw e;
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
  return [dx!, ...grads];
};
