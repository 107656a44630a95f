import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { allocOutput, liveFloat32 } from './memory.js';

/**
 * Add, Sub and Multiply on float32 tensors for the `cpu` backend, whose stock broadcasting path converts
 * every element's index to coordinates and back (per element array allocations). Handles equal shapes, a
 * scalar side, and one side broadcast along leading axes (its shape, without leading 1s, a suffix of the
 * other's, e.g. a bias row); anything else goes to the stock kernel (undefined).
 */
export function binaryFast(
  op: 'add' | 'sub' | 'mul',
): (args: Parameters<KernelFunc>[0]) => TensorInfo | undefined {
  return (args) => {
    const backend = args.backend as KernelBackend;
    const a = args.inputs.a as TensorInfo;
    const b = args.inputs.b as TensorInfo;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
    const sa = a.shape.reduce((p, q) => p * q, 1);
    const sb = b.shape.reduce((p, q) => p * q, 1);
    const big = sa >= sb ? a : b;
    const small = sa >= sb ? b : a;
    const sBig = Math.max(sa, sb);
    const sSmall = Math.min(sa, sb);
    if (!suffixBroadcast(big.shape, small.shape)) return undefined;
    const outShape = big.shape.length >= small.shape.length ? big.shape.slice() : small.shape.slice();
    if (outShape.reduce((p, q) => p * q, 1) !== sBig) return undefined;
    const out = allocOutput(backend, outShape, 'float32');
    if (sBig === 0) return out;
    const av = liveFloat32(a, backend);
    const bv = liveFloat32(b, backend);
    const ov = liveFloat32(out, backend);
    const aBig = sa >= sb;
    const period = sSmall;
    if (op === 'add') {
      for (let base = 0; base < sBig; base += period)
        for (let j = 0; j < period; j++)
          ov[base + j] = aBig ? av[base + j]! + bv[j]! : av[j]! + bv[base + j]!;
    } else if (op === 'mul') {
      for (let base = 0; base < sBig; base += period)
        for (let j = 0; j < period; j++)
          ov[base + j] = aBig ? av[base + j]! * bv[j]! : av[j]! * bv[base + j]!;
    } else {
      for (let base = 0; base < sBig; base += period)
        for (let j = 0; j < period; j++)
          ov[base + j] = aBig ? av[base + j]! - bv[j]! : av[j]! - bv[base + j]!;
    }
    return out;
  };
}

/** Whether `small` (leading 1s dropped) is a suffix of `big` (or a scalar): then `small` repeats with period |small|. */
function suffixBroadcast(big: readonly number[], small: readonly number[]): boolean {
  let s = 0;
  while (s < small.length && small[s] === 1) s++;
  const core = small.slice(s);
  if (core.length > big.length) return false;
  for (let i = 0; i < core.length; i++)
    if (core[core.length - 1 - i] !== big[big.length - 1 - i]) return false;
  // Leading 1s of `small` beyond big's rank would change the output rank: only allowed when big covers them.
  return small.length <= big.length || small.slice(0, small.length - big.length).every((d) => d === 1);
}
