import type { Tensor2D } from '@tensorflow/tfjs-core';
import { denseStack } from '../dense-stack.js';
import type { DenseActivation, DenseStackLayer } from '../dense-stack.js';
import type { ModelVariable } from '../model.js';
import type { Rng } from '../rng.js';
import { kernelValues, uniformValues, zeroValues } from './initializers.js';
import type { KernelInit } from './initializers.js';
import { createModelVariable } from './model-variable.js';

/** A fully connected layer `y = act(x W + b)` whose kernel and bias are model variables. */
export interface DenseLayer {
  /** `[in, out]`. */
  readonly kernel: ModelVariable;
  /** `[out]`. */
  readonly bias: ModelVariable;
  readonly activation: DenseActivation;
}

/** Options of {@link createDense}. */
export interface DenseOptions {
  readonly init: KernelInit;
  readonly activation: DenseActivation;
  /** Whether the optimizer's L2 penalty applies to the kernel (never to the bias). Default false. */
  readonly regularize?: boolean;
}

/**
 * A dense layer `inDim → outDim`, kernel named `${name}/kernel`, bias `${name}/bias`; the kernel is drawn
 * first, then the bias. Keras-style kernels (`glorot-uniform`, `lecun-uniform`) start with a zero bias;
 * `fan-in-uniform` (PyTorch's `nn.Linear` default) draws the bias from the same U(±1/√inDim).
 */
export function createDense(
  name: string,
  inDim: number,
  outDim: number,
  rng: Rng,
  options: DenseOptions,
): DenseLayer {
  const flags = { sparse: false, regularize: options.regularize ?? false, trainable: true };
  const kernel = kernelValues(options.init, inDim, outDim, rng);
  const bias =
    options.init === 'fan-in-uniform' ? uniformValues(outDim, 1 / Math.sqrt(inDim), rng) : zeroValues(outDim);
  return {
    kernel: createModelVariable(`${name}/kernel`, kernel, [inDim, outDim], flags),
    bias: createModelVariable(`${name}/bias`, bias, [outDim], { ...flags, regularize: false }),
    activation: options.activation,
  };
}

/**
 * A stack of ReLU layers of widths `widths[0] → widths[1] → …` (a multilayer perceptron such as the NCF tower
 * of He et al., WWW 2017, 64-32-16-8), layer `l` named `${prefix}/${l}`, drawn in order.
 */
export function createTower(
  prefix: string,
  widths: readonly number[],
  rng: Rng,
  init: KernelInit = 'glorot-uniform',
): DenseLayer[] {
  const out: DenseLayer[] = [];
  for (let l = 1; l < widths.length; l++) {
    out.push(
      createDense(`${prefix}/${l - 1}`, widths[l - 1]!, widths[l]!, rng, { init, activation: 'relu' }),
    );
  }
  return out;
}

/** The layers as {@link denseStack} takes them. */
export function stackLayers(layers: readonly DenseLayer[]): DenseStackLayer[] {
  return layers.map((l) => ({ kernel: l.kernel.variable, bias: l.bias.variable, activation: l.activation }));
}

/**
 * Applies dense layers in sequence, `act(x W + b)` each, through {@link denseStack}: one fused kernel forward
 * and one backward for the whole sequence on `wasm`/`cpu` (fewer kernels per step is what makes training fast
 * there), `tf.fused.matMul` elsewhere.
 */
export function applyDense(layers: DenseLayer | readonly DenseLayer[], x: Tensor2D): Tensor2D {
  return denseStack(x, stackLayers(Array.isArray(layers) ? layers : [layers as DenseLayer]));
}

/** The variables of `layers`, kernel then bias, in order (the order models list them in). */
export function denseVariables(layers: readonly DenseLayer[]): ModelVariable[] {
  return layers.flatMap((l) => [l.kernel, l.bias]);
}
