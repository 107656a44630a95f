import { createOptimizer, createRng, createTrainStep, tf } from '@ncf/core';
import type { DatasetInfo, OptimizerConfig, PairwiseBatch, PointwiseBatch, Recommender } from '@ncf/core';

/**
 * A small two-cluster implicit dataset: users 0..n/2-1 interact with items of the first half, the others
 * with the second half (each user with `perUser` items). Learnable by every model here.
 */
export interface ToyData {
  readonly info: DatasetInfo;
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
}

export function toyData(numUsers = 24, numItems = 30, perUser = 6, seed = 1): ToyData {
  const rng = createRng(seed);
  const users: number[] = [];
  const items: number[] = [];
  const ratings: number[] = [];
  const half = numItems / 2;
  for (let u = 0; u < numUsers; u++) {
    const base = u < numUsers / 2 ? 0 : half;
    const chosen = new Set<number>();
    while (chosen.size < perUser) chosen.add(base + rng.int(half));
    for (const i of chosen) {
      users.push(u);
      items.push(i);
      ratings.push(u < numUsers / 2 ? 5 : 1);
    }
  }
  return {
    info: { numUsers, numItems, ratingRange: [1, 5] },
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    ratings: Float32Array.from(ratings),
  };
}

/** Positives plus `neg` negatives each, drawn from the other cluster's items (clean labels). */
export function pointwiseBatch(data: ToyData, neg: number, seed: number, explicit = false): PointwiseBatch {
  const rng = createRng(seed);
  const n = data.users.length;
  const half = data.info.numItems / 2;
  if (explicit) return { kind: 'pointwise', users: data.users, items: data.items, labels: data.ratings };
  const users = new Int32Array(n * (neg + 1));
  const items = new Int32Array(n * (neg + 1));
  const labels = new Float32Array(n * (neg + 1));
  for (let r = 0; r < n; r++) {
    const o = r * (neg + 1);
    users[o] = data.users[r]!;
    items[o] = data.items[r]!;
    labels[o] = 1;
    for (let j = 1; j <= neg; j++) {
      users[o + j] = data.users[r]!;
      items[o + j] = (data.users[r]! < data.info.numUsers / 2 ? half : 0) + rng.int(half);
    }
  }
  return { kind: 'pointwise', users, items, labels };
}

export function pairwiseBatch(data: ToyData, seed: number): PairwiseBatch {
  const rng = createRng(seed);
  const half = data.info.numItems / 2;
  const negatives = Int32Array.from(
    data.users,
    (u) => (u < data.info.numUsers / 2 ? half : 0) + rng.int(half),
  );
  return { kind: 'pairwise', users: data.users, positives: data.items, negatives };
}

/** Trains `model` for `steps` full-batch steps; returns the losses. */
export function train(
  model: Recommender,
  batches: (step: number) => PointwiseBatch | PairwiseBatch,
  steps: number,
  optimizer: Partial<OptimizerConfig> = { learningRate: 0.05 },
): number[] {
  const opt = createOptimizer(optimizer);
  const step = createTrainStep(model, opt, createRng(7));
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) losses.push(step(batches(s)));
  opt.dispose();
  return losses;
}

/** Number of live tensors. */
export function liveTensors(): number {
  return tf.memory().numTensors;
}

/** Every item index for one user, as aligned arrays. */
export function allPairs(user: number, numItems: number): { users: Int32Array; items: Int32Array } {
  return {
    users: new Int32Array(numItems).fill(user),
    items: Int32Array.from({ length: numItems }, (_, i) => i),
  };
}
