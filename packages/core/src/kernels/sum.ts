import {
  backend_util,
  util,
  type KernelBackend,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { allocOutput, liveFloat32 } from './memory.js';

/**
 * Sum of a float32 tensor over leading axes (`[0..r)`, e.g. the bias gradient `sum(dy, 0)`) or trailing axes
 * (`[r..rank)`, e.g. row sums) as one pass without a transpose; other axis sets, dtypes and (on `wasm`)
 * trailing reductions, which the native kernel does well, go to the stock kernel (undefined).
 */
export function sumFast(args: Parameters<KernelFunc>[0], trailing: boolean): TensorInfo | undefined {
  const backend = args.backend as KernelBackend;
  const x = args.inputs.x as TensorInfo;
  const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
  if (x.dtype !== 'float32') return undefined;
  const rank = x.shape.length;
  if (rank === 0) return undefined;
  const axes = [...util.parseAxisParam(axis, x.shape)].sort((p, q) => p - q);
  if (axes.length === 0) return undefined;
  const leading = axes.every((ax, i) => ax === i);
  const isTrailing = axes.every((ax, i) => ax === rank - axes.length + i);
  if (!leading && !(trailing && isTrailing)) return undefined;
  const [outShapeNoKeep] = backend_util.computeOutAndReduceShapes(x.shape, axes);
  const outShape = keepDims ? backend_util.expandShapeToKeepDim(outShapeNoKeep, axes) : outShapeNoKeep;
  const out = allocOutput(backend, outShape, 'float32', true);
  const size = x.shape.reduce((p, q) => p * q, 1);
  if (size === 0) return out;
  const xv = liveFloat32(x, backend);
  const ov = liveFloat32(out, backend);
  if (leading) {
    const inner = ov.length;
    for (let base = 0; base < size; base += inner)
      for (let j = 0; j < inner; j++) ov[j] = ov[j]! + xv[base + j]!;
  } else {
    const outer = ov.length;
    const inner = size / outer;
    for (let i = 0; i < outer; i++) {
      let s = 0;
      const base = i * inner;
      for (let j = 0; j < inner; j++) s += xv[base + j]!;
      ov[i] = s;
    }
  }
  return out;
}
