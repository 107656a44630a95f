import type { Rng } from '../rng.js';

/**
 * Seeded weight initialisers: each writes a row-major `Float32Array` from core's {@link Rng}, drawing one
 * number per value in index order, so a seed gives the same weights on every backend and machine (the draws
 * are float64, rounded to float32 once). Model code composes them; tensors are made by the caller
 * (see `createModelVariable`).
 */

/** `n` zeros (draws nothing from any generator). */
export function zeroValues(n: number): Float32Array {
  return new Float32Array(n);
}

/** `n` samples of N(0, std²) (Box–Muller through `rng.normal()`, one draw pair per value). */
export function normalValues(n: number, std: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * std;
  return out;
}

/** `n` samples of U(−limit, limit). */
export function uniformValues(n: number, limit: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rng.next() * 2 - 1) * limit;
  return out;
}

/**
 * Glorot/Xavier uniform (Glorot & Bengio, "Understanding the difficulty of training deep feedforward neural
 * networks", AISTATS 2010): U(±√(6 / (fanIn + fanOut))) for a `fanIn × fanOut` matrix. For an embedding table
 * `[rows, dim]` this is TensorFlow's `xavier_initializer` with fan-in = rows (LightGCN's TensorFlow code).
 */
export function glorotUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  return uniformValues(fanIn * fanOut, Math.sqrt(6 / (fanIn + fanOut)), rng);
}

/** LeCun uniform as Keras 1 defines it (LeCun et al., "Efficient BackProp", 1998): U(±√(3 / fanIn)). */
export function lecunUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  return uniformValues(fanIn * fanOut, Math.sqrt(3 / fanIn), rng);
}

/**
 * PyTorch's `nn.Linear` default (Kaiming-uniform with a = √5, He et al., ICCV 2015, which reduces to
 * U(±1/√fanIn)) for a `fanIn × fanOut` kernel; `createDense` draws the bias from the same range.
 */
export function fanInUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  return uniformValues(fanIn * fanOut, 1 / Math.sqrt(fanIn), rng);
}

/** Dense-layer kernel initialisers by name. */
export type KernelInit = 'glorot-uniform' | 'lecun-uniform' | 'fan-in-uniform';

/** The names a config may give for {@link KernelInit}. */
export const KERNEL_INITS: readonly KernelInit[] = ['glorot-uniform', 'lecun-uniform', 'fan-in-uniform'];

/** A `fanIn × fanOut` kernel initialised by `init`. */
export function kernelValues(init: KernelInit, fanIn: number, fanOut: number, rng: Rng): Float32Array {
  if (init === 'fan-in-uniform') return fanInUniform(fanIn, fanOut, rng);
  return init === 'glorot-uniform' ? glorotUniform(fanIn, fanOut, rng) : lecunUniform(fanIn, fanOut, rng);
}
