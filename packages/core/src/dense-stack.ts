import * as tf from '@tensorflow/tfjs-core';
import type {
  GradSaveFunc,
  NamedAttrMap,
  NamedTensorMap,
  Tensor,
  Tensor1D,
  Tensor2D,
} from '@tensorflow/tfjs-core';
import { NcfError } from './errors.js';
import { DENSE_STACK, DENSE_STACK_GRAD } from './kernels/dense-stack.js';
import { kernelsRegistered } from './kernels/index.js';
import type { DenseActivation } from './kernels/dense-stack.js';

export type { DenseActivation } from './kernels/dense-stack.js';

/** One layer of {@link denseStack}: `act(x · kernel + bias)`. */
export interface DenseStackLayer {
  /** `[in, out]`. */
  readonly kernel: Tensor;
  /** `[out]`. */
  readonly bias: Tensor;
  readonly activation: DenseActivation;
}

/** Whether the fused dense-stack kernels are registered for the active backend (`wasm`/`cpu` after `initBackend`). */
export function hasFusedDenseStack(): boolean {
  return kernelsRegistered(DENSE_STACK, DENSE_STACK_GRAD);
}

/**
 * A stack of fully connected layers (a multilayer perceptron, e.g. the NCF tower of He et al., WWW 2017),
 * `h_l = act_l(h_{l-1} W_l + b_l)` with `h_0 = x`, returning `h_L`. Differentiable w.r.t. `x` and every
 * kernel and bias.
 *
 * On `wasm` and `cpu` (with the kernel layer that `initBackend()` registers) the whole forward pass is one
 * kernel and the whole backward pass another, instead of ~3 and ~7 tfjs kernels per layer: at the NCF
 * paper's sizes a training step's cost is mostly per-kernel bookkeeping. Other backends (tfjs-node, webgl)
 * get the same function composed of `tf.fused.matMul` calls, with tfjs's gradients. Results agree to float32
 * rounding on every backend.
 */
export function denseStack(x: Tensor2D, layers: readonly DenseStackLayer[]): Tensor2D {
  let width = x.shape[1];
  layers.forEach((layer, l) => {
    const [k, n] = layer.kernel.shape;
    if (layer.kernel.rank !== 2 || k !== width || layer.bias.rank !== 1 || layer.bias.shape[0] !== n) {
      throw new NcfError(
        'SHAPE_MISMATCH',
        `denseStack layer ${l}: kernel [${layer.kernel.shape.join(',')}] and bias [${layer.bias.shape.join(',')}] ` +
          `do not fit an input of width ${width} (expected kernel [${width}, n], bias [n])`,
      );
    }
    width = n!;
  });
  if (layers.length === 0) return x;
  if (!hasFusedDenseStack() || x.dtype !== 'float32') return composite(x, layers);
  const activations = layers.map((l) => l.activation);
  const attrs = { activations } as unknown as NamedAttrMap;
  const L = layers.length;
  const inputs: Tensor[] = [x];
  for (const layer of layers) inputs.push(layer.kernel, layer.bias);
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const save = args[args.length - 1] as GradSaveFunc;
    const ts = args.slice(0, -1) as Tensor[];
    const named: NamedTensorMap = { x: ts[0]! };
    for (let l = 0; l < L; l++) {
      named[`w${l}`] = ts[1 + 2 * l]!;
      named[`b${l}`] = ts[2 + 2 * l]!;
    }
    const hs = tf.engine().runKernel(DENSE_STACK, named, attrs) as unknown as Tensor[];
    // Saved (cloned) for the backward pass: the input and every layer's output. Kernels are not saved when
    // they are variables (alive for the whole step); other kernel tensors are.
    const kernels = layers.map((_, l) => ts[1 + 2 * l]!);
    const savedKernels = kernels.filter((k) => !(k instanceof tf.Variable));
    save([ts[0]!, ...hs, ...savedKernels]);
    return {
      value: hs[L - 1]!,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const g: NamedTensorMap = { dy: dy as Tensor, x: saved[0]! };
        let next = 1 + L;
        for (let l = 0; l < L; l++) {
          const k = kernels[l]!;
          g[`w${l}`] = k instanceof tf.Variable ? k : saved[next++]!;
          g[`h${l + 1}`] = saved[1 + l]!;
        }
        return tf.engine().runKernel(DENSE_STACK_GRAD, g, attrs) as unknown as Tensor[];
      },
    };
  });
  return op(...inputs) as Tensor2D;
}

function composite(x: Tensor2D, layers: readonly DenseStackLayer[]): Tensor2D {
  return tf.tidy(() => {
    let h: Tensor2D = x;
    for (const layer of layers) {
      h = tf.fused.matMul({
        a: h,
        b: layer.kernel as Tensor2D,
        bias: layer.bias as Tensor1D,
        activation: layer.activation,
      }) as Tensor2D;
    }
    return h;
  });
}
