import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernelsFor } from '../simd/simd-kernels.js';
import { copyRowsByIndex } from './gather-v2.js';
import { allocOutput, liveFloat32 } from './memory.js';

/**
 * Row gather and row scatter-add with the indices passed as attributes (typed arrays), for the train step's
 * sparse embedding lookups. As tensor ops a lookup made two index tensors per step (the ids forward, the
 * inverse map backward), each a tensor creation, a backend write and a disposal in the engine; here the
 * indices stay JavaScript arrays. Registered for `wasm` and `cpu`; other backends use `tf.gather` and
 * `tf.unsortedSegmentSum`. Callers validate the indices (the train step checks every id against the table).
 */

/** Kernel name: `out[j, :] = table[ids[j], :]`. */
export const GATHER_ROWS = 'NcfGatherRows';
/** Kernel name: `out[inverse[i], :] += dy[i, :]`, `numSegments` rows. */
export const SCATTER_ADD_ROWS = 'NcfScatterAddRows';

/** Inputs `table` `[rows, dim]` (float32); attrs `{ ids: Int32Array }`. Output `[ids.length, dim]`. */
export const gatherRows: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const table = args.inputs.table as TensorInfo;
  const ids = (args.attrs as unknown as { ids: Int32Array }).ids;
  const rows = table.shape[0]!;
  const dim = table.shape.length > 1 ? table.shape.slice(1).reduce((a, b) => a * b, 1) : 1;
  const m = ids.length;
  const out = allocOutput(backend, [m, ...table.shape.slice(1)], 'float32');
  if (m === 0 || dim === 0) return out;
  for (let j = 0; j < m; j++) {
    const id = ids[j]!;
    if (!(id >= 0 && id < rows)) {
      backend.disposeData(out.dataId);
      throw new Error(`${GATHER_ROWS}: id ${id} at position ${j} is outside [0, ${rows})`);
    }
  }
  copyRowsByIndex(backend, table, out, ids, 1, rows, dim);
  return out;
};

/**
 * Inputs `dy` `[n, …]` (float32); attrs `{ inverse: Int32Array, numSegments }`. Output `[numSegments, …]`
 * with row `s` the sum of the rows `i` of `dy` with `inverse[i] = s`.
 */
export const scatterAddRows: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const dy = args.inputs.dy as TensorInfo;
  const { inverse, numSegments } = args.attrs as unknown as { inverse: Int32Array; numSegments: number };
  const n = dy.shape[0]!;
  if (inverse.length !== n) {
    throw new Error(`${SCATTER_ADD_ROWS}: ${inverse.length} segment ids for ${n} rows`);
  }
  const dim = dy.shape.length > 1 ? dy.shape.slice(1).reduce((a, b) => a * b, 1) : 1;
  const out = allocOutput(backend, [numSegments, ...dy.shape.slice(1)], 'float32', true);
  if (n === 0 || dim === 0) return out;
  for (let i = 0; i < n; i++) {
    const s = inverse[i]!;
    if (!(s >= 0 && s < numSegments)) {
      backend.disposeData(out.dataId);
      throw new Error(`${SCATTER_ADD_ROWS}: segment ${s} at position ${i} is outside [0, ${numSegments})`);
    }
  }
  const simd = simdKernelsFor(backend);
  if (simd !== undefined) {
    const inv = simd.writeInt32(0, inverse);
    simd.scatterAddRows(simd.offsetOf(dy), simd.offsetOf(out), inv, n, dim);
    return out;
  }
  const src = liveFloat32(dy, backend);
  const dst = liveFloat32(out, backend);
  for (let i = 0; i < n; i++) {
    const s = inverse[i]!;
    const o = s * dim;
    const a = i * dim;
    for (let k = 0; k < dim; k++) dst[o + k] = dst[o + k]! + src[a + k]!;
  }
  return out;
};
