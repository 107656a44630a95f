import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, MissingDataInputError, initBackend, tf } from '@ncf/core';
import type { DatasetInfo, PointwiseBatch } from '@ncf/core';
import { datasetInfoFor, interactionsFromArrays } from '@ncf/datasets';
import {
  GRAPH_NCF_DEFAULTS,
  GRAPH_NCF_GRAPH_INPUT,
  createMaskedAdjacency,
  graphMatrix,
  graphNcfFactory,
  graphNcfGraph,
} from '../src/index.js';
import { clusteredInteractions } from './tiny-graph.js';
import { testContext } from './train-helpers.js';

function ratedInfo(
  users: Int32Array,
  items: Int32Array,
  ratings: Float32Array,
  nu: number,
  ni: number,
): DatasetInfo {
  const train = interactionsFromArrays({ users, items, ratings }, { numUsers: nu, numItems: ni });
  return datasetInfoFor(graphNcfFactory.dataSpec(), train, { ratingRange: [1, 5] });
}

// 2 users, 3 items: u0–i0 (5), u0–i1 (2), u1–i1 (4), u1–i2 (1).
const U = Int32Array.from([0, 0, 1, 1]);
const I = Int32Array.from([0, 1, 1, 2]);
const R = Float32Array.from([5, 2, 4, 1]);
const tiny = ratedInfo(U, I, R, 2, 3);
const noDropout = { embeddingSize: 4, mlpLayers: [8], mlpDropout: 0, featureDropout: 0, messageDropout: 0 };

describe.each(['cpu', 'wasm'] as const)('gnn/graph-ncf on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it("has the seed's defaults and needs its centred graph", () => {
    expect(GRAPH_NCF_DEFAULTS).toMatchObject({
      embeddingSize: 64,
      layers: 2,
      mlpLayers: [256, 128],
      loss: 'mse',
    });
    expect(() => graphNcfFactory.create({ numUsers: 2, numItems: 3 })).toThrow(MissingDataInputError);
    expect(() => graphNcfFactory.create(tiny, { messageDropout: 1 })).toThrow(/messageDropout/);
  });

  it('normalises by the degrees left after masking: w / sqrt(deg_r deg_c)', () => {
    const graph = graphNcfGraph(tiny);
    const adj = createMaskedAdjacency(graphMatrix(graph), 2);
    // Remove u0–i1: u0 keeps i0 (deg 1), i1 keeps u1 (deg 1); u1 keeps deg 2, i0 deg 1, i2 deg 1.
    const op = adj.masked(Int32Array.of(0), Int32Array.of(1), 0, { next: () => 1 } as never);
    const x = tf.eye(5) as tf.Tensor2D;
    const a = op(x);
    const dense = a.arraySync() as number[][];
    x.dispose();
    a.dispose();
    const w = graph.values;
    // u0 row (entries 0: i0, 1: i1): only i0 remains, deg(u0) = 1, deg(i0) = 1.
    expect(dense[0]![2]).toBeCloseTo(w[0]!, 6);
    expect(dense[0]![3]).toBe(0);
    // i1 row holds u0 (masked) and u1: deg(i1) = 1, deg(u1) = 2.
    const i1u1 = graph.offsets[3]! + 1;
    expect(dense[3]![1]).toBeCloseTo(w[i1u1]! / Math.sqrt(2), 6);
    expect(dense[3]![0]).toBe(0);
    expect(adj.findEdge(1, 0)).toBe(-1);
  });

  it("target masking: a batch's own edges do not influence its prediction", () => {
    // The same graph except for the weights of the edge u0–i1 (both directions).
    const graph = graphNcfGraph(tiny);
    const values = graph.values.slice();
    values[1] = 7; // u0 row, entry of i1
    values[graph.offsets[3]!] = -7; // i1 row, entry of u0
    const other: DatasetInfo = {
      ...tiny,
      inputs: { [GRAPH_NCF_GRAPH_INPUT]: { type: 'csr', ...graph, values } },
    };
    const batch: PointwiseBatch = {
      kind: 'pointwise',
      users: Int32Array.of(0),
      items: Int32Array.of(1),
      labels: Float32Array.of(2),
    };
    const lossOf = (info: DatasetInfo, targetMask: boolean): number => {
      const m = graphNcfFactory.create(info, { ...noDropout, targetMask }, { seed: 4 });
      try {
        const l = m.loss(batch, testContext(1));
        const v = l.dataSync()[0]!;
        l.dispose();
        return v;
      } finally {
        m.dispose();
      }
    };
    expect(lossOf(other, true)).toBeCloseTo(lossOf(tiny, true), 6);
    expect(Math.abs(lossOf(other, false) - lossOf(tiny, false))).toBeGreaterThan(1e-4);
  });

  it('learns ratings: training MSE falls and predictions order by rating; no leak', () => {
    const data = clusteredInteractions(20, 24, 2, 5, 3);
    // Rating 5 for own-cluster items of even users, 1 for odd users: a signal the graph carries.
    const ratings = Float32Array.from(data.users, (u) => (u % 2 === 0 ? 5 : 1));
    const info = ratedInfo(data.users, data.items, ratings, 20, 24);
    const before = tf.memory().numTensors;
    const m = graphNcfFactory.create(info, { embeddingSize: 8, mlpLayers: [16] }, { seed: 1 });
    const opt = tf.train.adam(0.01);
    const vars = m.variables().map((v) => v.variable);
    const batch: PointwiseBatch = {
      kind: 'pointwise',
      users: data.users,
      items: data.items,
      labels: ratings,
    };
    const losses: number[] = [];
    for (let s = 0; s < 60; s++) {
      const l = opt.minimize(() => m.loss(batch, testContext(s)), true, vars)!;
      losses.push(l.dataSync()[0]!);
      l.dispose();
    }
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.3);
    const p = m.score(Int32Array.of(0, 1), Int32Array.of(data.items[0]!, data.items[5]!));
    expect(p[0]!).toBeGreaterThan(p[1]! + 1);
    const all = m.scoreAll(Int32Array.of(0));
    expect(all[data.items[0]!]).toBeCloseTo(p[0]!, 4);
    opt.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('dot head and bpr loss; typed errors for bad ids', () => {
    const m = graphNcfFactory.create(tiny, { ...noDropout, head: 'dot', loss: 'bpr' });
    try {
      expect(m.dataSpec).toEqual({ batch: 'pairwise', inputs: ['centredGraph'] });
      const l = m.loss(
        {
          kind: 'pairwise',
          users: Int32Array.of(0),
          positives: Int32Array.of(0),
          negatives: Int32Array.of(2),
        },
        testContext(),
      );
      expect(Number.isFinite(l.dataSync()[0]!)).toBe(true);
      l.dispose();
      expect(m.scoreAll(Int32Array.of(1)).every(Number.isFinite)).toBe(true);
      expect(() => m.score(Int32Array.of(0), Int32Array.of(3))).toThrow(DataError);
      expect(() =>
        m.loss(
          { kind: 'pointwise', users: Int32Array.of(0), items: Int32Array.of(0), labels: Float32Array.of(1) },
          testContext(),
        ),
      ).toThrow(/triples/);
    } finally {
      m.dispose();
    }
  });
});
