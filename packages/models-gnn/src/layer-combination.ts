import { ConfigError, tf } from '@ncf/core';
import type { Tensor2D } from '@ncf/core';
import type { GraphConv } from './graph-conv.js';

/**
 * Runs `layers` applications of `conv` from `x`: `[E⁽⁰⁾ = x, E⁽¹⁾ = conv(E⁽⁰⁾), …, E⁽ᴸ⁾]`. The returned list
 * holds `x` itself first; the caller owns the other tensors (call it inside a tidy scope). For compositions
 * other than LightGCN's weighted sum ({@link combineLayers}), e.g. NGCF's concatenation of every layer.
 */
export function propagateLayers(x: Tensor2D, conv: GraphConv, layers: number): Tensor2D[] {
  const out: Tensor2D[] = [x];
  let h = x;
  for (let k = 1; k <= layers; k++) {
    h = conv.apply(h);
    out.push(h);
  }
  return out;
}

/**
 * LightGCN's layer combination over `conv` (He et al., SIGIR 2020, eq. 4): `Σ_k α_k E⁽ᵏ⁾` with
 * `E⁽⁰⁾ = x`, `E⁽ᵏ⁺¹⁾ = conv(E⁽ᵏ⁾)` and `k = 0..L` where `L = weights.length − 1` (see `resolveLayerWeights`).
 * Each layer's term is added as soon as the layer is computed, in layer order. Differentiable; the caller
 * owns the result.
 */
export function combineLayers(x: Tensor2D, conv: GraphConv, weights: readonly number[]): Tensor2D {
  if (weights.length === 0) {
    throw new ConfigError('combineLayers needs at least the weight of layer 0, got none', 'layerWeights');
  }
  return tf.tidy(() => {
    let h = x;
    let acc: Tensor2D = tf.mul(x, weights[0]!);
    for (let k = 1; k < weights.length; k++) {
      h = conv.apply(h);
      acc = tf.add(acc, tf.mul(h, weights[k]!));
    }
    return acc;
  });
}
