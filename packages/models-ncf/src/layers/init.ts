import type { Rng } from '@ncf/core';

/**
 * Weight initialisers, driven by core's seeded {@link Rng} so a seed gives the same weights on every backend.
 * The choices follow the NCF paper's reference code (He et al., WWW 2017, `hexiangnan/neural_collaborative_filtering`,
 * Keras 1): embeddings N(0, 0.01), hidden dense layers Glorot-uniform, prediction layers LeCun-uniform,
 * biases zero.
 */

/** `n` samples of N(0, std²). */
export function normalValues(n: number, std: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * std;
  return out;
}

/** `n` samples of U(-limit, limit). */
export function uniformValues(n: number, limit: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rng.next() * 2 - 1) * limit;
  return out;
}

/** Glorot/Xavier uniform (Glorot & Bengio 2010): U(±sqrt(6 / (fanIn + fanOut))), for a `fanIn × fanOut` kernel. */
export function glorotUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  return uniformValues(fanIn * fanOut, Math.sqrt(6 / (fanIn + fanOut)), rng);
}

/** LeCun uniform (as Keras 1 defines it): U(±sqrt(3 / fanIn)), for a `fanIn × fanOut` kernel. */
export function lecunUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  return uniformValues(fanIn * fanOut, Math.sqrt(3 / fanIn), rng);
}

/**
 * PyTorch's `nn.Linear` default (Kaiming-uniform with a = √5, He et al. 2015): U(±1/sqrt(fanIn)) for the kernel
 * and, in {@link createDense}, the bias.
 */
export function fanInUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  return uniformValues(fanIn * fanOut, 1 / Math.sqrt(fanIn), rng);
}

/** Dense-layer kernel initialisers. */
export type KernelInit = 'glorot-uniform' | 'lecun-uniform' | 'fan-in-uniform';

/**
 * How a model initialises its dense layers:
 * - `paper`: the NCF paper's code (Keras 1): Glorot-uniform hidden layers, LeCun-uniform prediction layer,
 *   zero biases.
 * - `pytorch`: PyTorch's `nn.Linear` default: kernels and biases U(±1/sqrt(fanIn)) (the PyTorch peer's init).
 */
export type DenseInit = 'paper' | 'pytorch';

/** The values a config may name for {@link DenseInit}. */
export const DENSE_INITS: readonly DenseInit[] = ['paper', 'pytorch'];

/** Kernel initialiser of hidden layers under `init`. */
export function hiddenInit(init: DenseInit): KernelInit {
  return init === 'paper' ? 'glorot-uniform' : 'fan-in-uniform';
}

/** Kernel initialiser of prediction (output) layers under `init`. */
export function outputInit(init: DenseInit): KernelInit {
  return init === 'paper' ? 'lecun-uniform' : 'fan-in-uniform';
}

/** A `fanIn × fanOut` kernel initialised by `init`. */
export function kernelValues(init: KernelInit, fanIn: number, fanOut: number, rng: Rng): Float32Array {
  if (init === 'fan-in-uniform') return fanInUniform(fanIn, fanOut, rng);
  return init === 'glorot-uniform' ? glorotUniform(fanIn, fanOut, rng) : lecunUniform(fanIn, fanOut, rng);
}
