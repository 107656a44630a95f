import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { allocOutput, liveFloat32 } from './memory.js';

/**
 * Fused mean sigmoid cross-entropy on logits, `mean(softplus(x) − x·y)`, and its gradient
 * `dy · (σ(x) − y) / n`, one kernel each. Composed from tfjs ops the loss and its gradient take about ten
 * kernels (softplus, product, difference, mean, and their gradients); at the NCF paper's batch of 256 each
 * of them costs more in engine bookkeeping than in arithmetic. Registered for `wasm` and `cpu`.
 */

/** Kernel name of the loss. */
export const SIGMOID_CROSS_ENTROPY = 'NcfSigmoidCrossEntropy';
/** Kernel name of its gradient w.r.t. the logits. */
export const SIGMOID_CROSS_ENTROPY_GRAD = 'NcfSigmoidCrossEntropyGrad';

function checkPair(x: TensorInfo, y: TensorInfo): number {
  const n = x.shape.reduce((p, q) => p * q, 1);
  const m = y.shape.reduce((p, q) => p * q, 1);
  if (x.dtype !== 'float32' || y.dtype !== 'float32' || n !== m) {
    throw new Error(
      `${SIGMOID_CROSS_ENTROPY}: logits and labels must be float32 of one size, got ${x.dtype} [${x.shape.join(',')}] and ${y.dtype} [${y.shape.join(',')}]`,
    );
  }
  return n;
}

/** Inputs `logits`, `labels`; output a float32 scalar. NaN for an empty batch (like `tf.mean`). */
export const sigmoidCrossEntropyForward: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const x = args.inputs.logits as TensorInfo;
  const y = args.inputs.labels as TensorInfo;
  const n = checkPair(x, y);
  const out = allocOutput(backend, [], 'float32');
  const xv = liveFloat32(x, backend);
  const yv = liveFloat32(y, backend);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = xv[i]!;
    // softplus(v) = max(v, 0) + log1p(exp(−|v|)), stable for large |v|.
    s += (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v))) - v * yv[i]!;
  }
  liveFloat32(out, backend)[0] = s / n;
  return out;
};

/** Inputs `dy` (scalar), `logits`, `labels`; output `dlogits` shaped like `logits`. */
export const sigmoidCrossEntropyBackward: KernelFunc = (args) => {
  const backend = args.backend as KernelBackend;
  const dy = args.inputs.dy as TensorInfo;
  const x = args.inputs.logits as TensorInfo;
  const y = args.inputs.labels as TensorInfo;
  const n = checkPair(x, y);
  const out = allocOutput(backend, x.shape.slice(), 'float32');
  const scale = liveFloat32(dy, backend)[0]! / n;
  const xv = liveFloat32(x, backend);
  const yv = liveFloat32(y, backend);
  const ov = liveFloat32(out, backend);
  for (let i = 0; i < n; i++) ov[i] = (1 / (1 + Math.exp(-xv[i]!)) - yv[i]!) * scale;
  return out;
};
