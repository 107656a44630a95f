import { afterAll, describe, expect, it } from 'vitest';
import {
  POOL_DEFAULTS,
  computePool,
  createOptimizer,
  createRng,
  createTrainStep,
  initBackend,
  stopComputePool,
  tf,
} from '@ncf/core';
import { lightgcnFactory } from '../src/index.js';
import { clusteredInteractions, tinyInfo } from './tiny-graph.js';
import { graphBatches } from './train-helpers.js';

// Big enough that every propagation product is split across the pool's threads (entries × dim above
// POOL_DEFAULTS.minParallelWork), small enough to train in a second.
const NU = 120;
const NI = 150;
const data = clusteredInteractions(NU, NI, 3, 12, 5);
const info = tinyInfo(NU, NI, data.users, data.items);
const config = { embeddingSize: 32, layers: 3 };

/** Trains LightGCN for 2 epochs with core's train step on `threads` threads; returns weights and scores. */
async function train(
  backend: 'cpu' | 'wasm',
  threads: number,
): Promise<{ weights: Float32Array; scores: Float32Array }> {
  const backendInfo = await initBackend({ backend, threads });
  expect(backendInfo.threads).toBe(threads);
  expect(computePool()?.threads).toBe(threads === 1 ? undefined : threads);
  const before = tf.memory().numTensors;
  const model = lightgcnFactory.create(info, config, { seed: 3 });
  const optimizer = createOptimizer({ name: 'adam', learningRate: 0.01 });
  const step = createTrainStep(model, optimizer, createRng(1));
  for (let epoch = 0; epoch < 2; epoch++) {
    for (const batch of graphBatches(data.users, data.items, NI, 256, 10 + epoch)) {
      step(batch);
    }
  }
  const weights = (model.variables()[0]!.variable.dataSync() as Float32Array).slice();
  const scores = model.scoreAll(Int32Array.from({ length: NU }, (_, u) => u)).slice();
  optimizer.dispose();
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return { weights, scores };
}

describe.each(['cpu', 'wasm'] as const)('LightGCN on 1 and 2 threads (%s)', (backend) => {
  afterAll(async () => {
    await stopComputePool();
  });

  it('trains to the same weights and scores bit for bit (the pool keeps each row’s reduction order)', async () => {
    expect(info.graph!.indices.length * config.embeddingSize).toBeGreaterThan(POOL_DEFAULTS.minParallelWork);
    const one = await train(backend, 1);
    const two = await train(backend, 2);
    expect(Buffer.from(two.weights.buffer).equals(Buffer.from(one.weights.buffer))).toBe(true);
    expect(Buffer.from(two.scores.buffer).equals(Buffer.from(one.scores.buffer))).toBe(true);
    // And training moved the weights (the comparison is not between two initialisations).
    const init = lightgcnFactory.create(info, config, { seed: 3 });
    const w0 = init.variables()[0]!.variable.dataSync() as Float32Array;
    expect(Buffer.from(w0.buffer, w0.byteOffset, w0.byteLength).equals(Buffer.from(one.weights.buffer))).toBe(
      false,
    );
    init.dispose();
  });
});
