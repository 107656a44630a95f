import * as tf from '@tensorflow/tfjs-core';
import type { DataId, TensorInfo } from '@tensorflow/tfjs-core';
import { memoryKind } from '../kernels/memory.js';
import { SIMD_KERNELS_BASE64 } from './kernels-binary.js';

/**
 * WebAssembly SIMD kernels that run directly on the heap of tfjs's `wasm` backend: the module (assembled from
 * `kernels.wat`) imports the backend's `WebAssembly.Memory`, so it updates tensors in place, four lanes at a
 * time, where the same loops in JavaScript are scalar float64 with a square root and a division per element.
 * Only on `wasm` (on `cpu` tensors are JavaScript arrays; on `tensorflow` native kernels do the work).
 */
export interface SimdKernels {
  /** The backend's memory (its `buffer` changes when the heap grows: take views after allocating). */
  readonly memory: WasmMemory;
  /** Allocates `bytes` in the backend's heap (the backend's own allocator); free with {@link SimdKernels.free}. */
  malloc(bytes: number): number;
  free(ptr: number): void;
  /** A reusable region of at least `bytes` in the heap for call arguments; `slot` 0 or 1 (two at once). */
  scratch(slot: 0 | 1, bytes: number): number;
  /** Byte offset of a tensor's values in the heap. */
  offsetOf(t: TensorInfo): number;
  /** Lazy Adam with catch-up over sparse rows: see `adam_rows` in `kernels.wat`. Pointers are byte offsets. */
  adamRows(
    w: number,
    g: number,
    state: number,
    rows: number,
    coef: number,
    n: number,
    dim: number,
    l2x2: number,
    alpha: number,
    invSqrtBc2: number,
    eps: number,
    c1: number,
    c2: number,
  ): void;
  /**
   * The per-row part of lazy Adam before {@link SimdKernels.adamRows} (`mode` 0, step `t`) or
   * {@link SimdKernels.adamCatchUp} (`mode` 1, up to the completed step `t`): gaps, coefficients, the new last
   * step (`adam_coefficients` in `kernels.wat`; `table` = float64 `[β1ᵏ… | β2ᵏ… | ρᵏ…]` of `size` entries each,
   * then the `csize` catch-up sums by step; `lrs` = learning rate · 1/√(1−β2ᵗ); `cinf` the sums past the table).
   */
  adamCoefficients(
    state: number,
    rows: number,
    coef: number,
    n: number,
    dim: number,
    t: number,
    mode: 0 | 1,
    table: number,
    size: number,
    csize: number,
    lrs: number,
    b1: number,
    b2: number,
    cinf: number,
  ): void;
  /** Lazy Adam's catch-up alone, rows brought to the completed step: see `adam_catch_up` in `kernels.wat`. */
  adamCatchUp(
    w: number,
    state: number,
    rows: number,
    coef: number,
    n: number,
    dim: number,
    invSqrtBc2: number,
    eps: number,
  ): void;
  /** Row gather: dst row j = src row ids[j] (`ids` an int32 array in the heap, checked by the caller). */
  gatherRows(src: number, dst: number, ids: number, m: number, dim: number): void;
  /** SGD over sparse rows, `w[rows[r]] −= lr·(g[r] + l2x2·w[rows[r]])`: see `sgd_rows` in `kernels.wat`. */
  sgdRows(w: number, g: number, rows: number, n: number, dim: number, lr: number, l2x2: number): void;
  /** Row scatter-add: dst row inverse[i] += src row i (dst zeroed by the caller). */
  scatterAddRows(src: number, dst: number, inverse: number, n: number, dim: number): void;
  /** m rows of `len` floats from src (row stride `srcStride` floats) to dst (`dstStride`). */
  copyRowsStrided(
    src: number,
    srcStride: number,
    dst: number,
    dstStride: number,
    m: number,
    len: number,
  ): void;
  /**
   * Dense-layer backward for an m×n `dy`: with `h` ≠ 0 writes `g = dy` where `h > 0` else 0 (ReLU); always
   * adds the column sums of `g` (or of `dy` when `h` = 0) into `db` (zeroed by the caller).
   */
  reluBiasGrad(dy: number, h: number, g: number, db: number, m: number, n: number): void;
  /**
   * `C = act(init + A·B)` for an m×n `C` (row stride `ldc`) over `k` steps, `A(i, p)` at `a + i·sar + p·sap`
   * (so `A` or `Aᵀ` without a copy), `B` row-major with row stride `ldb`; strides in floats. `flags` bit 0:
   * accumulate into `C` (else start from `bias[j]`, or 0 when `bias` is 0); bit 1: ReLU. See `gemm` in
   * `kernels.wat`.
   */
  gemm(
    a: number,
    sar: number,
    sap: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    m: number,
    n: number,
    k: number,
    bias: number,
    flags: number,
  ): void;
  /** Additive attention logits over ragged pairs: see `pair_logits` in `kernels.wat` (pointers are byte offsets). */
  pairLogits(
    a: number,
    c: number,
    w: number,
    mask: number,
    seed: number,
    rmask: number,
    seg: number,
    rows: number,
    np: number,
    h: number,
    out: number,
  ): void;
  /** Gradient of {@link SimdKernels.pairLogits}: see `pair_logits_grad` in `kernels.wat`. */
  pairLogitsGrad(
    dy: number,
    a: number,
    c: number,
    w: number,
    mask: number,
    seed: number,
    rmask: number,
    seg: number,
    rows: number,
    np: number,
    h: number,
    da: number,
    dc: number,
    dw: number,
  ): void;
  /** Copies `values` into scratch `slot` and returns its pointer. */
  writeInt32(slot: 0 | 1, values: Int32Array): number;
}

/** The parts of the WebAssembly API used here (the project's `lib` has no DOM / WebAssembly typings). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

interface WasmBackendInternals {
  wasm: {
    asm?: { memory?: unknown };
    _malloc(bytes: number): number;
    _free(ptr: number): void;
  };
  dataIdMap: { get(dataId: DataId): { memoryOffset: number } | undefined };
}

// `NCF_SIMD=0` runs the JavaScript loops instead (for comparisons and for ruling the SIMD kernels out).
let enabled = globalThis.process?.env?.NCF_SIMD !== '0';
let compiled: object | null | undefined;
const bound = new WeakMap<object, SimdKernels>();

/**
 * Turns the SIMD kernels off (the JavaScript loops run instead) or back on; for tests and A/B measurements.
 * Returns the previous setting.
 */
export function setSimdKernelsEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

function compile(): object | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = Uint8Array.from(atob(SIMD_KERNELS_BASE64), (c) => c.charCodeAt(0));
    compiled = wasmApi !== undefined && wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
  } catch {
    compiled = null; // no WebAssembly or no SIMD in this runtime: the JavaScript loops run
  }
  return compiled;
}

/** The SIMD kernels bound to `backend`'s heap, or undefined when it is not tfjs's `wasm` backend (or no SIMD). */
export function simdKernelsFor(backend: tf.KernelBackend = tf.backend()): SimdKernels | undefined {
  if (!enabled || memoryKind(backend) !== 'wasm') return undefined;
  const have = bound.get(backend);
  if (have !== undefined) return have;
  const internals = backend as unknown as WasmBackendInternals;
  const memory = internals.wasm.asm?.memory;
  const mod = compile();
  if (wasmApi === undefined || !(memory instanceof wasmApi.Memory) || mod === null) return undefined;
  const exports = new wasmApi.Instance(mod, { env: { memory } }).exports as {
    adam_rows: SimdKernels['adamRows'];
    adam_coefficients: SimdKernels['adamCoefficients'];
    adam_catch_up: SimdKernels['adamCatchUp'];
    gather_rows: SimdKernels['gatherRows'];
    sgd_rows: SimdKernels['sgdRows'];
    scatter_add_rows: SimdKernels['scatterAddRows'];
    copy_rows_strided: SimdKernels['copyRowsStrided'];
    relu_bias_grad: SimdKernels['reluBiasGrad'];
    gemm: SimdKernels['gemm'];
    pair_logits: SimdKernels['pairLogits'];
    pair_logits_grad: SimdKernels['pairLogitsGrad'];
  };
  const scratch: { ptr: number; bytes: number }[] = [
    { ptr: 0, bytes: 0 },
    { ptr: 0, bytes: 0 },
  ];
  const kernels: SimdKernels = {
    memory,
    malloc: (bytes) => {
      const ptr = internals.wasm._malloc(bytes);
      if (ptr === 0) throw new Error(`@ncf kernel layer: the wasm heap cannot allocate ${bytes} bytes`);
      return ptr;
    },
    free: (ptr) => internals.wasm._free(ptr),
    scratch(slot, bytes) {
      const s = scratch[slot]!;
      if (s.bytes < bytes) {
        if (s.ptr !== 0) internals.wasm._free(s.ptr);
        const size = Math.max(bytes, 2 * s.bytes, 4096);
        s.ptr = kernels.malloc(size);
        s.bytes = size;
      }
      return s.ptr;
    },
    offsetOf(t) {
      const entry = internals.dataIdMap.get(t.dataId);
      if (entry === undefined) throw new Error('@ncf kernel layer: tensor not on the wasm backend');
      return entry.memoryOffset;
    },
    adamRows: exports.adam_rows,
    adamCoefficients: exports.adam_coefficients,
    adamCatchUp: exports.adam_catch_up,
    gatherRows: exports.gather_rows,
    sgdRows: exports.sgd_rows,
    scatterAddRows: exports.scatter_add_rows,
    copyRowsStrided: exports.copy_rows_strided,
    reluBiasGrad: exports.relu_bias_grad,
    gemm: exports.gemm,
    pairLogits: exports.pair_logits,
    pairLogitsGrad: exports.pair_logits_grad,
    writeInt32(slot, values) {
      const ptr = kernels.scratch(slot, 4 * values.length);
      new Int32Array(memory.buffer, ptr, values.length).set(values);
      return ptr;
    },
  };
  bound.set(backend, kernels);
  return kernels;
}

/** The SIMD module on a memory of its own, for backends whose tensors are JavaScript arrays (`cpu`). */
export interface SimdArena {
  readonly kernels: Pick<SimdKernels, 'gemm'>;
  /** Makes the arena at least `bytes` long and returns its memory's current buffer (offsets from 0). */
  reserve(bytes: number): ArrayBuffer;
}

let arena: SimdArena | null | undefined;

/**
 * The SIMD module with its own growable memory (one per process), or undefined without WebAssembly SIMD or
 * when switched off. Callers copy operands in at offsets they choose, run a kernel and copy results out: for
 * matrix products the copies are O(size) against O(size·k) arithmetic.
 */
export function simdArena(): SimdArena | undefined {
  if (!enabled) return undefined;
  if (arena !== undefined) return arena ?? undefined;
  const mod = compile();
  if (wasmApi === undefined || mod === null) {
    arena = null;
    return undefined;
  }
  const memory = new wasmApi.Memory({ initial: 16 });
  const exports = new wasmApi.Instance(mod, { env: { memory } }).exports as { gemm: SimdKernels['gemm'] };
  arena = {
    kernels: { gemm: exports.gemm },
    reserve(bytes) {
      const have = memory.buffer.byteLength;
      if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
      return memory.buffer;
    },
  };
  return arena;
}
