import type { Scalar } from '@tensorflow/tfjs-core';
import {
  shuffleInPlace,
  tf,
  type Batch,
  type BatchSource,
  type ModelVariable,
  type PointwiseBatch,
  type Recommender,
  type Rng,
  type TrainingHooks,
} from '../src/index.js';

/**
 * A one-parameter model for hand-computable training: loss = mean((w − label)²), score = w.
 * `nanAfter` makes the loss NaN from that step on.
 */
export function scalarModel(
  w0: number,
  options: { nanAfter?: number; hooks?: TrainingHooks } = {},
): Recommender {
  const v: ModelVariable = {
    name: 'w',
    variable: tf.variable(tf.scalar(w0)),
    sparse: false,
    regularize: false,
    trainable: true,
  };
  let steps = 0;
  return {
    kind: 'test/scalar',
    config: {},
    info: { numUsers: 1, numItems: 1 },
    dataSpec: { batch: 'pointwise', labels: 'rating', inputs: [] },
    ...(options.hooks ? { hooks: options.hooks } : {}),
    loss(batch: Batch): Scalar {
      const labels = tf.tensor1d((batch as PointwiseBatch).labels);
      const loss = tf.mean(tf.square(tf.sub(v.variable, labels))) as Scalar;
      steps++;
      return options.nanAfter !== undefined && steps > options.nanAfter
        ? (tf.mul(loss, NaN) as Scalar)
        : loss;
    },
    score(users: Int32Array): Float32Array {
      return new Float32Array(users.length).fill(v.variable.dataSync()[0]!);
    },
    variables: () => [v],
    save: async () => {},
    dispose: () => v.variable.dispose(),
  };
}

/** A pointwise source over fixed labels, shuffled per epoch with the given generator. */
export function labelSource(labels: readonly number[]): BatchSource<PointwiseBatch> {
  return {
    kind: 'pointwise',
    size: labels.length,
    *batches(batchSize: number, rng: Rng): Iterable<PointwiseBatch> {
      const order = shuffleInPlace(Int32Array.from(labels.keys()), rng);
      for (let from = 0; from < labels.length; from += batchSize) {
        const sel = order.subarray(from, from + batchSize);
        yield {
          kind: 'pointwise',
          users: new Int32Array(sel.length),
          items: new Int32Array(sel.length),
          labels: Float32Array.from(sel, (i) => labels[i]!),
        };
      }
    },
  };
}
