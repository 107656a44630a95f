import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { allocOutput, liveValues } from './memory.js';

/**
 * Transpose that swaps the last two axes (2-D transposes and batched ones, what matMul's gradients issue)
 * with a blocked copy, for the `cpu` backend; other permutations go to the stock kernel (undefined).
 */
export function transposeFast(args: Parameters<KernelFunc>[0]): TensorInfo | undefined {
  const backend = args.backend as KernelBackend;
  const x = args.inputs.x as TensorInfo;
  const perm = (args.attrs as { perm: number[] }).perm;
  const r = x.shape.length;
  if (r < 2 || perm.length !== r) return undefined;
  for (let i = 0; i < r - 2; i++) if (perm[i] !== i) return undefined;
  if (perm[r - 2] !== r - 1 || perm[r - 1] !== r - 2) return undefined;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return undefined;
  const rows = x.shape[r - 2]!;
  const cols = x.shape[r - 1]!;
  const batch = x.shape.slice(0, -2).reduce((p, q) => p * q, 1);
  const outShape = [...x.shape.slice(0, -2), cols, rows];
  const out = allocOutput(backend, outShape, x.dtype);
  const src = liveValues(x, backend)!;
  const dst = liveValues(out, backend)!;
  const B = 32;
  for (let t = 0; t < batch; t++) {
    const o = t * rows * cols;
    for (let i0 = 0; i0 < rows; i0 += B) {
      const i1 = Math.min(i0 + B, rows);
      for (let j0 = 0; j0 < cols; j0 += B) {
        const j1 = Math.min(j0 + B, cols);
        for (let i = i0; i < i1; i++)
          for (let j = j0; j < j1; j++) dst[o + j * rows + i] = src[o + i * cols + j]!;
      }
    }
  }
  return out;
}
