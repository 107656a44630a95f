import { applyDense, dropout, tf } from '@ncf/core';
import type { DenseLayer, Rng, Tensor2D } from '@ncf/core';

/** Runs an MLP tower on `x`, with inverted dropout after every hidden layer when `rng` is given. */
export function towerForward(
  tower: readonly DenseLayer[],
  x: Tensor2D,
  dropoutRate: number,
  rng: Rng | undefined,
): Tensor2D {
  // Without dropout the tower is one fused stack (one kernel forward, one backward on the JS backends).
  if (dropoutRate <= 0 || rng === undefined) return applyDense(tower, x);
  let h = x;
  for (const layer of tower) h = dropout(applyDense(layer, h), dropoutRate, rng);
  return h;
}

/**
 * The tower followed by the (linear) output layer. Without dropout the whole sequence is one fused stack
 * (one kernel forward, one backward on the JS backends).
 */
export function towerWithOutput(
  tower: readonly DenseLayer[],
  output: DenseLayer,
  x: Tensor2D,
  dropoutRate: number,
  rng: Rng | undefined,
): Tensor2D {
  if (dropoutRate <= 0 || rng === undefined) return applyDense([...tower, output], x);
  return applyDense(output, towerForward(tower, x, dropoutRate, rng));
}

/**
 * The tower's last hidden layer for every (user, item) pair of `users × items`, `[U·I, width]` in user-major
 * order, when the tower's input is `concat(userPart, itemPart)`. The first layer is split as
 * `u W₁ᵤ + i W₁ᵢ + b₁`: both halves are computed once per user and once per item and then broadcast-added,
 * so the widest product is never repeated per pair.
 */
export function towerAllPairs(tower: readonly DenseLayer[], users: Tensor2D, items: Tensor2D): Tensor2D {
  const first = tower[0]!;
  const du = users.shape[1];
  const w = first.kernel.variable as unknown as Tensor2D;
  const width = w.shape[1];
  const wu = tf.slice(w, [0, 0], [du, width]);
  const wi = tf.slice(w, [du, 0], [w.shape[0] - du, width]);
  const a = tf.add(tf.matMul(users, wu), first.bias.variable); // [U, h]
  const b = tf.matMul(items, wi); // [I, h]
  const nu = users.shape[0];
  const ni = items.shape[0];
  const h = tf.reshape(tf.relu(tf.add(tf.reshape(a, [nu, 1, width]), tf.reshape(b, [1, ni, width]))), [
    nu * ni,
    width,
  ]) as Tensor2D;
  return applyDense(tower.slice(1), h);
}
