import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { parallelGemm } from '../pool/gemm.js';
import { simdArena, simdKernelsFor } from '../simd/simd-kernels.js';
import { plan } from './mat-mul.js';
import type { MatMulPlan } from './mat-mul.js';
import { allocOutput, liveFloat32, memoryKind } from './memory.js';
import { transposeFast } from './transpose.js';

/**
 * BatchMatMul and _FusedMatMul on `wasm` through the SIMD module's gemm (`src/simd/kernels.wat`): register-tiled,
 * `Aᵀ` read in place through strides, `Bᵀ` transposed once into a temporary. At the NCF layer sizes it runs at
 * 15–24 GFLOP/s where tfjs-wasm's XNNPACK path ran at 2–16 (XNNPACK packs the right operand on every call, and
 * tfjs transposes first). Returns undefined for what it leaves to the next kernel (non-float32, partial batch
 * broadcasting, other activations, no SIMD).
 *
 * On `cpu` the same gemm runs on the module's own memory (see `simdArena`): operands are copied in and the
 * product out, O(size) copies against O(size·k) arithmetic (~5× the JavaScript gemm at the NCF sizes). Without
 * WebAssembly SIMD the cpu backend keeps its JavaScript gemm.
 */
export function productSimd(
  backend: KernelBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias: TensorInfo | undefined,
  relu: boolean,
): TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const simd = simdKernelsFor(backend);
  if (simd === undefined && (memoryKind(backend) !== 'cpu' || simdArena() === undefined)) return undefined;
  const p = plan(a, b, transposeA, transposeB);
  if (p === undefined) return undefined;
  const { m, n, k } = p;
  if (bias !== undefined && (bias.dtype !== 'float32' || bias.shape.reduce((x, y) => x * y, 1) !== n))
    return undefined;
  const out = allocOutput(backend, p.outShape, 'float32');
  if (p.batch * m * n === 0) return out;
  if (simd === undefined) {
    productInArena(backend, p, a, b, transposeA, transposeB, bias, relu, out);
    return out;
  }
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
    // Large single products on the compute pool when one runs (same values, rows split across threads).
    if (
      p.batch === 1 &&
      parallelGemm(poolOperands(simd.memory.buffer, p, aPtr, bPtr, cPtr, biasPtr, transposeA, relu))
    )
      return out;
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

/** A single product's operands on tfjs-wasm's heap as views for {@link parallelGemm}. */
function poolOperands(
  heap: ArrayBuffer,
  p: MatMulPlan,
  aPtr: number,
  bPtr: number,
  cPtr: number,
  biasPtr: number,
  transposeA: boolean,
  relu: boolean,
): Parameters<typeof parallelGemm>[0] {
  const { m, n, k } = p;
  return {
    a: new Float32Array(heap, aPtr, m * k),
    b: new Float32Array(heap, bPtr, k * n),
    ...(biasPtr !== 0 ? { bias: new Float32Array(heap, biasPtr, n) } : {}),
    out: new Float32Array(heap, cPtr, m * n),
    m,
    n,
    k,
    transposeA,
    relu,
  };
}

/** {@link productSimd} on `cpu`: copy in, gemm in the arena, copy out into `out`. */
function productInArena(
  backend: KernelBackend,
  p: MatMulPlan,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias: TensorInfo | undefined,
  relu: boolean,
  out: TensorInfo,
): void {
  const { m, n, k } = p;
  const arena = simdArena()!;
  const align = (x: number): number => (x + 3) & ~3; // in floats: 16-byte boundaries
  const aLen = p.batchA * m * k;
  const bLen = p.batchB * k * n;
  const aAt = 0;
  const bAt = align(aAt + aLen);
  const biasAt = align(bAt + bLen);
  const cAt = align(biasAt + (bias !== undefined ? n : 0));
  const heap = new Float32Array(arena.reserve(4 * (cAt + p.batch * m * n)));
  heap.set(liveFloat32(a, backend).subarray(0, aLen), aAt);
  const bv = liveFloat32(b, backend);
  if (transposeB) {
    // B is [batch, n, k]: write [batch, k, n].
    for (let t = 0; t < p.batchB; t++) {
      const s = t * n * k;
      for (let j = 0; j < n; j++) for (let q = 0; q < k; q++) heap[bAt + s + q * n + j] = bv[s + j * k + q]!;
    }
  } else heap.set(bv.subarray(0, bLen), bAt);
  if (bias !== undefined) heap.set(liveFloat32(bias, backend).subarray(0, n), biasAt);
  for (let t = 0; t < p.batch; t++) {
    arena.kernels.gemm(
      4 * (aAt + (p.batchA === 1 ? 0 : t) * m * k),
      transposeA ? 1 : k,
      transposeA ? m : 1,
      4 * (bAt + (p.batchB === 1 ? 0 : t) * k * n),
      n,
      4 * (cAt + t * m * n),
      n,
      m,
      n,
      k,
      bias !== undefined ? 4 * biasAt : 0,
      relu ? 2 : 0,
    );
  }
  liveFloat32(out, backend).set(heap.subarray(cAt, cAt + p.batch * m * n));
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
