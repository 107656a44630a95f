import type { KernelInit } from '@ncf/core';

/**
 * How a model of this package initialises its dense layers (the initialisers themselves are \@ncf/core's):
 * - `paper`: the NCF paper's reference code (He et al., WWW 2017, `hexiangnan/neural_collaborative_filtering`,
 *   Keras 1): Glorot-uniform hidden layers, LeCun-uniform prediction layer, zero biases.
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
