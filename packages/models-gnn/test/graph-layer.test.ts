import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, bumpWeightsVersion, fit, initBackend, tf } from '@ncf/core';
import type { BatchSource, PairwiseBatch, Tensor2D } from '@ncf/core';
import {
  combineLayers,
  createEmbeddingCache,
  createLgConv,
  graphOperator,
  lightgcnFactory,
  propagate,
  propagateLayers,
} from '../src/index.js';
import { clusteredInteractions, tinyGraph, tinyInfo } from './tiny-graph.js';
import { graphBatches } from './train-helpers.js';

// 2 users × 3 items; edges u0–i0, u0–i1, u1–i1, u1–i2 (nodes u0=0, u1=1, i0=2, i1=3, i2=4): with degrees
// u0 2, u1 2, i0 1, i1 2, i2 1 the weights are u0–i0 1/√2, u0–i1 1/2, u1–i1 1/2, u1–i2 1/√2.
const graph = tinyGraph(2, 3, [0, 0, 1, 1], [0, 1, 1, 2]);
const E = [1, 0, 0, 1, 1, 1, 2, 0, 0, 3];
const r = Math.SQRT1_2;
const AE = [r + 1, r, 1, 3 * r, r, 0, 0.5, 0.5, 0, r]; // Â·E by hand

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, digits);
}

describe.each(['cpu', 'wasm'] as const)('graph layer (LGConv) on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it.each(['csr', 'segment-sum'] as const)(
    '%s: one layer is Â·E (hand-computed), no tensor left behind',
    (method) => {
      const conv = createLgConv(graph, { method });
      expect([conv.numNodes, conv.method]).toEqual([5, method]);
      const start = tf.memory().numTensors;
      const out = tf.tidy(() => conv.apply(tf.tensor2d(E, [5, 2]) as Tensor2D).dataSync());
      expectClose(out, AE);
      expect(tf.memory().numTensors).toBe(start);
    },
  );

  it('the sparse operator is built once per graph and shared by every layer', () => {
    expect(graphOperator(graph)).toBe(graphOperator(graph));
    const other = tinyGraph(2, 3, [0, 0, 1, 1], [0, 1, 1, 2]);
    expect(graphOperator(other)).not.toBe(graphOperator(graph));
  });

  it('propagateLayers lists E⁰..Eᴸ; combineLayers is Σ α_k Eᵏ and equals propagate()', () => {
    const conv = createLgConv(graph);
    const start = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.tensor2d(E, [5, 2]) as Tensor2D;
      const layers = propagateLayers(x, conv, 2);
      expect(layers).toHaveLength(3);
      expect(layers[0]).toBe(x);
      expectClose(layers[1]!.dataSync(), AE);
      const expected = E.map((e, i) => 0.5 * e + 0.3 * AE[i]! + 0.2 * layers[2]!.dataSync()[i]!);
      const combined = combineLayers(x, conv, [0.5, 0.3, 0.2]).dataSync();
      expectClose(combined, expected);
      const viaPropagate = propagate(x, graph, 2, { layerWeights: [0.5, 0.3, 0.2] }).dataSync();
      expect(Array.from(viaPropagate)).toEqual(Array.from(combined));
      expectClose(
        combineLayers(x, conv, [2]).dataSync(),
        E.map((e) => 2 * e),
      );
    });
    expect(tf.memory().numTensors).toBe(start);
    expect(() => combineLayers(tf.zeros([5, 2]) as Tensor2D, conv, [])).toThrow(ConfigError);
  });

  it('gradients flow through the layers: d/dE sum(Â·E) = colsum(Â) per node', () => {
    const conv = createLgConv(graph, { method: 'segment-sum' });
    const g = tf.tidy(() =>
      tf
        .grad((x) => tf.sum(conv.apply(x as Tensor2D)))(tf.tensor2d(E, [5, 2]))
        .dataSync(),
    );
    const colsum = [r + 0.5, 0.5 + r, r, 1, r]; // Â is symmetric: colsum = rowsum
    expectClose(
      g,
      colsum.flatMap((c) => [c, c]),
    );
  });
});

describe('embedding cache', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('recomputes only when a source changed: version bump or assign(), or after invalidate()', () => {
    const start = tf.memory().numTensors;
    const v = tf.tidy(() => tf.variable(tf.tensor2d([1, 2, 3, 4], [2, 2])));
    let calls = 0;
    const cache = createEmbeddingCache([v], () => {
      calls++;
      return tf.mul(v, 2) as Tensor2D;
    });
    expect(Array.from(cache.values())).toEqual([2, 4, 6, 8]);
    cache.values();
    expect([calls, cache.computations]).toEqual([1, 1]);
    bumpWeightsVersion(v);
    cache.values();
    expect(cache.computations).toBe(2);
    tf.tidy(() => v.assign(tf.tensor2d([0, 0, 0, 1], [2, 2])));
    expect(Array.from(cache.values())).toEqual([0, 0, 0, 2]);
    expect(cache.computations).toBe(3);
    cache.invalidate();
    cache.values();
    cache.values();
    expect(cache.computations).toBe(4);
    v.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('gnn/lightgcn under fit()', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('validation after each epoch sees the new weights (one propagation per epoch), and no tensor leaks', async () => {
    const NU = 12;
    const NI = 15;
    const data = clusteredInteractions(NU, NI, 3, 3, 4);
    const info = tinyInfo(NU, NI, data.users, data.items);
    const start = tf.memory().numTensors;
    const m = lightgcnFactory.create(info, { embeddingSize: 4, layers: 2 }, { seed: 2 });
    const batches = graphBatches(data.users, data.items, NI, 8, 1);
    const source: BatchSource<PairwiseBatch> = {
      kind: 'pairwise',
      size: data.users.length,
      batches: () => batches,
    };
    const seen: number[][] = [];
    await fit(m, source, {
      epochs: 3,
      batchSize: 8,
      optimizer: { name: 'adam', learningRate: 0.05 },
      validate: (model) => {
        seen.push(Array.from(model.scoreAll!(Int32Array.of(0))));
        model.scoreAll!(Int32Array.of(1)); // same weights: served from the cache
        return { propagations: m.propagations };
      },
    });
    expect(seen).toHaveLength(3);
    expect(seen[1]).not.toEqual(seen[0]);
    expect(seen[2]).not.toEqual(seen[1]);
    expect(m.propagations).toBe(3);
    const fresh = tf.tidy(() =>
      propagate(m.variables()[0]!.variable as unknown as Tensor2D, info.graph!, 2).dataSync(),
    );
    expect(Array.from(m.finalEmbeddings())).toEqual(Array.from(fresh));
    m.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
