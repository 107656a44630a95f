import { denseStack } from '@ncf/core';
import type { DenseStackLayer, ModelVariable, Rng, Tensor2D } from '@ncf/core';
import { kernelValues, uniformValues } from './init.js';
import type { KernelInit } from './init.js';
import { createModelVariable } from './variables.js';

/** A fully connected layer `y = act(x W + b)`. */
export interface DenseLayer {
  readonly kernel: ModelVariable;
  readonly bias: ModelVariable;
  readonly activation: 'relu' | 'linear';
}

/** Options of {@link createDense}. */
export interface DenseOptions {
  readonly init: KernelInit;
  readonly activation: 'relu' | 'linear';
  /** Whether the optimizer's L2 penalty applies to the kernel. Default false. */
  readonly regularize?: boolean;
}

/**
 * A dense layer `inDim → outDim`, kernel named `${name}/kernel`, bias `${name}/bias`. Keras-style kernels
 * (`glorot-uniform`, `lecun-uniform`: the NCF paper's code) start with a zero bias; `fan-in-uniform` (PyTorch's
 * `nn.Linear` default) draws the bias from the same U(±1/sqrt(inDim)).
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
  // PyTorch's nn.Linear draws its bias like its kernel; the Keras initialisers start biases at zero.
  const bias =
    options.init === 'fan-in-uniform'
      ? uniformValues(outDim, 1 / Math.sqrt(inDim), rng)
      : new Float32Array(outDim);
  return {
    kernel: createModelVariable(`${name}/kernel`, kernel, [inDim, outDim], flags),
    bias: createModelVariable(`${name}/bias`, bias, [outDim], {
      ...flags,
      regularize: false,
    }),
    activation: options.activation,
  };
}

/** The layers as core's {@link denseStack} takes them. */
export function stackLayers(layers: readonly DenseLayer[]): DenseStackLayer[] {
  return layers.map((l) => ({ kernel: l.kernel.variable, bias: l.bias.variable, activation: l.activation }));
}

/**
 * Applies dense layers in sequence, `act(x W + b)` each, through core's {@link denseStack}: one fused kernel
 * forward and one backward for the whole sequence on the JS backends (fewer kernels per step is what makes
 * training fast there).
 */
export function applyDense(layers: DenseLayer | readonly DenseLayer[], x: Tensor2D): Tensor2D {
  return denseStack(x, stackLayers(Array.isArray(layers) ? layers : [layers as DenseLayer]));
}

/** The variables of `layers`, kernel then bias, in order. */
export function denseVariables(layers: readonly DenseLayer[]): ModelVariable[] {
  return layers.flatMap((l) => [l.kernel, l.bias]);
}

/**
 * The MLP tower of the NCF paper: `layers[0]` is the input width (the concatenated user and item
 * embeddings), each following entry a ReLU layer; the paper's default is 64-32-16-8.
 */
export function createTower(
  prefix: string,
  layers: readonly number[],
  rng: Rng,
  init: KernelInit = 'glorot-uniform',
): DenseLayer[] {
  const out: DenseLayer[] = [];
  for (let l = 1; l < layers.length; l++) {
    out.push(
      createDense(`${prefix}/${l - 1}`, layers[l - 1]!, layers[l]!, rng, {
        init,
        activation: 'relu',
      }),
    );
  }
  return out;
}
