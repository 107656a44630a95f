import * as tf from '@tensorflow/tfjs-core';
import type { DataId, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Direct access to the memory of the JavaScript backends. On `cpu` a tensor's values are a typed array in
 * the backend's data map; on `wasm` they live in the module's heap at `memoryOffset`. Views returned here
 * are live (writes change the tensor) and, on wasm, valid only until the next heap allocation (the heap's
 * buffer is replaced when it grows), so take a view, use it, drop it.
 */

/** The typed arrays tensors are stored in. */
export type NumericArray = Float32Array | Int32Array | Uint8Array;

interface WasmModule {
  HEAPU8: Uint8Array;
}
interface WasmBackendLike {
  wasm: WasmModule;
  dataIdMap: { get(dataId: DataId): { memoryOffset: number; shape: number[]; dtype: string } | undefined };
  makeOutput(shape: number[], dtype: string, memoryOffset?: number, values?: unknown): TensorInfo;
}
interface CpuBackendLike {
  data: { get(dataId: DataId): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: string, values?: unknown): TensorInfo;
}

/** The backend kind whose memory we can reach, or undefined (e.g. `tensorflow`, `webgl`). */
export function memoryKind(backend: tf.KernelBackend = tf.backend()): 'wasm' | 'cpu' | undefined {
  const b = backend as unknown as Partial<WasmBackendLike & CpuBackendLike>;
  if (b.wasm !== undefined && b.dataIdMap !== undefined && typeof b.makeOutput === 'function') return 'wasm';
  if (b.data !== undefined && typeof b.makeTensorInfo === 'function' && b.data.get !== undefined)
    return 'cpu';
  return undefined;
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function view(buffer: ArrayBufferLike, offset: number, size: number, dtype: string): NumericArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, offset, size);
    case 'int32':
      return new Int32Array(buffer, offset, size);
    case 'bool':
      return new Uint8Array(buffer, offset, size);
    default:
      throw new Error(`@ncf kernel layer: unsupported dtype '${dtype}'`);
  }
}

/**
 * A live view of a tensor's values on `backend` (`wasm` or `cpu`); undefined on other backends.
 * Writing through it mutates every tensor sharing the data id (reshapes, clones).
 */
export function liveValues(
  t: TensorInfo,
  backend: tf.KernelBackend = tf.backend(),
): NumericArray | undefined {
  const kind = memoryKind(backend);
  if (kind === 'wasm') {
    const b = backend as unknown as WasmBackendLike;
    const entry = b.dataIdMap.get(t.dataId);
    if (entry === undefined) return undefined;
    return view(b.wasm.HEAPU8.buffer, entry.memoryOffset, sizeOf(t.shape), t.dtype);
  }
  if (kind === 'cpu') {
    const b = backend as unknown as CpuBackendLike;
    const values = b.data.get(t.dataId)?.values;
    if (values instanceof Float32Array || values instanceof Int32Array || values instanceof Uint8Array) {
      return values;
    }
  }
  return undefined;
}

/**
 * On `wasm`, the module's whole heap as 32-bit words and the word offset of `t`'s values, for copies with
 * `heap.copyWithin` (a memmove, no per-element conversion); undefined on other backends or for dtypes whose
 * elements are not 4 bytes. Valid until the next heap allocation, like every view.
 */
export function wasmWords(
  t: TensorInfo,
  backend: tf.KernelBackend = tf.backend(),
): { heap: Int32Array; offset: number } | undefined {
  if (memoryKind(backend) !== 'wasm' || (t.dtype !== 'float32' && t.dtype !== 'int32')) return undefined;
  const b = backend as unknown as WasmBackendLike;
  const entry = b.dataIdMap.get(t.dataId);
  if (entry === undefined) return undefined;
  return { heap: new Int32Array(b.wasm.HEAPU8.buffer), offset: entry.memoryOffset >>> 2 };
}

/** Like {@link liveValues} for a float32 tensor; throws if the memory is not reachable. */
export function liveFloat32(t: TensorInfo, backend: tf.KernelBackend = tf.backend()): Float32Array {
  const v = liveValues(t, backend);
  if (!(v instanceof Float32Array)) {
    throw new Error(
      `@ncf kernel layer: no float32 memory for tensor of dtype ${t.dtype} on ${tf.getBackend()}`,
    );
  }
  return v;
}

/** Like {@link liveValues} for an int32 tensor; throws if the memory is not reachable. */
export function liveInt32(t: TensorInfo, backend: tf.KernelBackend = tf.backend()): Int32Array {
  const v = liveValues(t, backend);
  if (!(v instanceof Int32Array)) {
    // Indices may arrive as float32 (tfjs casts lazily in some paths); convert.
    if (v instanceof Float32Array) return Int32Array.from(v);
    throw new Error(
      `@ncf kernel layer: no int32 memory for tensor of dtype ${t.dtype} on ${tf.getBackend()}`,
    );
  }
  return v;
}

/**
 * Allocates an output tensor of `shape`/`dtype` on `backend` (zero-filled on cpu; uninitialised on wasm
 * unless `zero`). Returns its info; fill it through {@link liveValues}.
 */
export function allocOutput(
  backend: tf.KernelBackend,
  shape: number[],
  dtype: 'float32' | 'int32' | 'bool',
  zero = false,
): TensorInfo {
  const kind = memoryKind(backend);
  if (kind === 'wasm') {
    const info = (backend as unknown as WasmBackendLike).makeOutput(shape, dtype);
    if (zero) liveValues(info, backend)?.fill(0);
    return info;
  }
  if (kind === 'cpu') {
    const size = sizeOf(shape);
    const values =
      dtype === 'float32'
        ? new Float32Array(size)
        : dtype === 'int32'
          ? new Int32Array(size)
          : new Uint8Array(size);
    return (backend as unknown as CpuBackendLike).makeTensorInfo(shape, dtype, values);
  }
  throw new Error(`@ncf kernel layer: cannot allocate on backend ${tf.getBackend()}`);
}

/** How many tensors share `t`'s memory (reference count of its data id) on `backend`. */
export function refCount(t: TensorInfo, backend: tf.KernelBackend = tf.backend()): number {
  return (backend as unknown as { refCount(dataId: DataId): number }).refCount(t.dataId);
}

/** Copies `t` into fresh memory on `backend` (a tensor info the caller owns). */
export function copyToFresh(t: TensorInfo, backend: tf.KernelBackend = tf.backend()): TensorInfo {
  const out = allocOutput(backend, t.shape.slice(), t.dtype as 'float32' | 'int32' | 'bool');
  const src = liveValues(t, backend);
  const dst = liveValues(out, backend);
  if (src === undefined || dst === undefined)
    throw new Error(`@ncf kernel layer: cannot copy on ${tf.getBackend()}`);
  dst.set(src);
  return out;
}

/**
 * Tells the backend that `t`'s memory was written in place. tfjs's wasm backend caches XNNPACK operators
 * with packed weights keyed by a tensor's id (BatchMatMul, _FusedMatMul, Conv2D…), which assumes tensor
 * memory never changes: after an in-place write those caches would serve stale weights. Giving the data a new
 * id (re-registered at the same memory; the old id's cached operators are released) invalidates them. No-op
 * on `cpu`.
 */
export function markWritten(t: TensorInfo, backend: tf.KernelBackend = tf.backend()): void {
  if (memoryKind(backend) !== 'wasm') return;
  const b = backend as unknown as {
    dataIdNextNumber: number;
    dataIdMap: { get(dataId: DataId): { id: number; memoryOffset: number } | undefined };
    wasm: {
      tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
    };
  };
  const entry = b.dataIdMap.get(t.dataId);
  if (entry === undefined) return;
  const newId = b.dataIdNextNumber++;
  b.wasm.tfjs.registerTensor(newId, sizeOf(t.shape), entry.memoryOffset);
  b.wasm.tfjs.disposeData(entry.id);
  entry.id = newId;
}
