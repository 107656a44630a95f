import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { allocOutput, liveInt32, liveValues } from './memory.js';

/**
 * UnsortedSegmentSum as a scatter-add: `out[ids[i], ...] += x[i, ...]`, one pass over `x`. Segment ids
 * outside `[0, numSegments)` (negative or too large) are dropped, as in tfjs's reference kernel. It is the
 * gradient of `gather` (embedding lookups) and the aggregation of GNN message passing; stock `wasm` lacks
 * it and stock `cpu` loops over every segment with four tensor ops each (cost ∝ table size).
 */
export const unsortedSegmentSum: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as KernelBackend;
  const x = inputs.x as TensorInfo;
  const segmentIds = inputs.segmentIds as TensorInfo;
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const idsRank = segmentIds.shape.length;
  const n = segmentIds.shape.reduce((a, b) => a * b, 1);
  const innerShape = x.shape.slice(idsRank);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  const dtype = x.dtype === 'int32' ? 'int32' : 'float32';
  const out = allocOutput(backend, [numSegments, ...innerShape], dtype, true);
  if (n === 0 || inner === 0 || numSegments === 0) return out;
  // Views after the allocation: on wasm a malloc can move the heap.
  const ids = liveInt32(segmentIds, backend);
  const src = liveValues(x, backend)!;
  const dst = liveValues(out, backend)!;
  if (inner === 1) {
    for (let i = 0; i < n; i++) {
      const s = ids[i]!;
      if (s >= 0 && s < numSegments) dst[s] = dst[s]! + src[i]!;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const s = ids[i]!;
    if (!(s >= 0 && s < numSegments)) continue;
    const o = s * inner;
    const a = i * inner;
    for (let k = 0; k < inner; k++) dst[o + k] = dst[o + k]! + src[a + k]!;
  }
  return out;
};
