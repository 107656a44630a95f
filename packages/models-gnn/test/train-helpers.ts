import { createRng, tf } from '@ncf/core';
import type { PairwiseBatch, LossContext, Recommender, Tensor2D } from '@ncf/core';

/** A loss context for tests: dense reads through tf.gather. */
export function testContext(seed = 1): LossContext {
  return {
    training: true,
    rng: createRng(seed),
    lookup: (table, ids) => tf.tidy(() => tf.gather(table.variable, tf.tensor1d(ids, 'int32')) as Tensor2D),
  };
}

/**
 * Test-only epoch of BPR triples: every interaction once, in a seeded order, each with one uniformly drawn
 * item the user has not interacted with. (The real source is @ncf/datasets' pairwise batches.)
 */
export function graphBatches(
  users: Int32Array,
  items: Int32Array,
  numItems: number,
  batchSize: number,
  seed: number,
): PairwiseBatch[] {
  const rng = createRng(seed);
  const seen = new Set<number>();
  for (let e = 0; e < users.length; e++) seen.add(users[e]! * numItems + items[e]!);
  const order = Int32Array.from({ length: users.length }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out: PairwiseBatch[] = [];
  for (let start = 0; start < order.length; start += batchSize) {
    const idx = order.subarray(start, Math.min(order.length, start + batchSize));
    const u = Int32Array.from(idx, (e) => users[e]!);
    const p = Int32Array.from(idx, (e) => items[e]!);
    const q = new Int32Array(idx.length);
    for (let b = 0; b < idx.length; b++) {
      let j: number;
      do j = rng.int(numItems);
      while (seen.has(u[b]! * numItems + j));
      q[b] = j;
    }
    out.push({ kind: 'pairwise', users: u, positives: p, negatives: q });
  }
  return out;
}

/** Runs Adam over `batches` for `epochs`, calling the model's hooks like fit() does; returns mean loss per epoch. */
export function trainAdam(
  model: Recommender,
  batches: readonly PairwiseBatch[],
  epochs: number,
  lr = 0.01,
): number[] {
  const opt = tf.train.adam(lr);
  const vars = model
    .variables()
    .filter((v) => v.trainable)
    .map((v) => v.variable);
  const ctx = testContext();
  const losses: number[] = [];
  try {
    for (let e = 0; e < epochs; e++) {
      model.hooks?.beforeEpoch?.(e);
      let total = 0;
      for (const b of batches) {
        const loss = opt.minimize(() => model.loss(b, ctx), true, vars);
        total += loss!.dataSync()[0]!;
        loss!.dispose();
        model.hooks?.afterStep?.();
      }
      model.hooks?.afterEpoch?.(e);
      losses.push(total / batches.length);
    }
  } finally {
    opt.dispose();
  }
  return losses;
}
