import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernelsFor } from '../simd/simd-kernels.js';
import { plan } from './mat-mul.js';
import { allocOutput } from './memory.js';
import { transposeFast } from './transpose.js';

/**
 * BatchMatMul and _FusedMatMul on `wasm` through the SIMD module's gemm (`src/simd/kernels.wat`): register-tiled,
 * `Aᵀ` read in place through strides, `Bᵀ` transposed once into a temporary. At the NCF layer sizes it runs at
 * 15–24 GFLOP/s where tfjs-wasm's XNNPACK path ran at 2–16 (XNNPACK packs the right operand on every call, and
 * tfjs transposes first). Returns undefined for what it leaves to the next kernel (non-float32, partial batch
 * broadcasting, other activations, no SIMD).
 */
function productSimd(
  backend: KernelBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias: TensorInfo | undefined,
  relu: boolean,
): TensorInfo | undefined {
  const simd = simdKernelsFor(backend);
  if (simd === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const p = plan(a, b, transposeA, transposeB);
  if (p === undefined) return undefined;
  const { m, n, k } = p;
  if (bias !== undefined && (bias.dtype !== 'float32' || bias.shape.reduce((x, y) => x * y, 1) !== n))
    return undefined;
  const out = allocOutput(backend, p.outShape, 'float32');
  if (p.batch * m * n === 0) return out;
  let bt: TensorInfo | undefined;
  if (transposeB && k > 0) {
    const r = b.shape.length;
    const perm = Array.from({ length: r }, (_, i) => (i < r - 2 ? i : i === r - 2 ? r - 1 : r - 2));
    bt = transposeFast({ inputs: { x: b }, backend, attrs: { perm } });
  }
  try {
    const aPtr = simd.offsetOf(a);
    const bPtr = simd.offsetOf(bt ?? b);
    const cPtr = simd.offsetOf(out);
    const biasPtr = bias !== undefined ? simd.offsetOf(bias) : 0;
    for (let t = 0; t < p.batch; t++) {
      simd.gemm(
        aPtr + 4 * (p.batchA === 1 ? 0 : t) * m * k,
        transposeA ? 1 : k,
        transposeA ? m : 1,
        bPtr + 4 * (p.batchB === 1 ? 0 : t) * k * n,
        n,
        cPtr + 4 * t * m * n,
        n,
        m,
        n,
        k,
        biasPtr,
        relu ? 2 : 0,
      );
    }
  } finally {
    if (bt !== undefined) backend.disposeData(bt.dataId);
  }
  return out;
}

/** BatchMatMul on `wasm` through the SIMD gemm; undefined where it defers to the next kernel. */
export function batchMatMulSimd(args: Parameters<KernelFunc>[0]): TensorInfo | undefined {
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  return productSimd(args.backend as KernelBackend, a, b, !!transposeA, !!transposeB, undefined, false);
}

/** _FusedMatMul (bias of the output width, linear or ReLU) on `wasm` through the SIMD gemm. */
export function fusedMatMulSimd(args: Parameters<KernelFunc>[0]): TensorInfo | undefined {
  const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
  const { transposeA, transposeB, activation } = args.attrs as {
    transposeA: boolean;
    transposeB: boolean;
    activation?: string;
  };
  const act = activation ?? 'linear';
  if (preluActivationWeights != null || (act !== 'linear' && act !== 'relu')) return undefined;
  return productSimd(
    args.backend as KernelBackend,
    a!,
    b!,
    !!transposeA,
    !!transposeB,
    bias ?? undefined,
    act === 'relu',
  );
}
