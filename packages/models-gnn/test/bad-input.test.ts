import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, initBackend } from '@ncf/core';
import type { DatasetInfo, PairwiseBatch } from '@ncf/core';
import { centredGraph, graphInfo, interactionsFromArrays } from '@ncf/datasets';
import { GRAPH_NCF_GRAPH_INPUT, graphNcfFactory, lightgcnFactory, ngcfFactory } from '../src/index.js';
import { testContext } from './train-helpers.js';

// 4 users, 5 items. u0 has every item; u1 repeats (1, 2) three times; u3 and item 4 only in the id space
// (isolated); u2 has one item.
const users = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 2]);
const items = Int32Array.from([0, 1, 2, 3, 4, 2, 2, 2, 0, 1]);
const ratings = Float32Array.from([5, 4, 3, 2, 1, 5, 4, 3, 2, 1]);
const train = interactionsFromArrays({ users, items, ratings }, { numUsers: 5, numItems: 6 });
const base = { numUsers: 5, numItems: 6 };
const info: DatasetInfo = { ...base, graph: graphInfo(train) };
const ncfInfo: DatasetInfo = {
  ...base,
  inputs: { [GRAPH_NCF_GRAPH_INPUT]: { type: 'csr', ...centredGraph(train) } },
};

const factories = [
  ['gnn/lightgcn', () => lightgcnFactory.create(info, { embeddingSize: 4, layers: 2 })],
  ['gnn/ngcf', () => ngcfFactory.create(info, { embeddingSize: 4, layerSizes: [4, 4] })],
  ['gnn/graph-ncf', () => graphNcfFactory.create(ncfInfo, { embeddingSize: 4, mlpLayers: [4], loss: 'bpr' })],
] as const;

const batch: PairwiseBatch = {
  kind: 'pairwise',
  users: Int32Array.of(4, 0, 1),
  positives: Int32Array.of(5, 5, 2),
  negatives: Int32Array.of(0, 4, 5),
};

describe.each(['cpu', 'wasm'] as const)('bad input on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('duplicate edges count once in the graphs @ncf/datasets builds', () => {
    // u1's row: items 0 and 2 once each, whatever the repeats.
    const g = info.graph!;
    expect(Array.from(g.indices.subarray(g.offsets[1]!, g.offsets[2]!))).toEqual([5, 7]);
    const c = centredGraph(train);
    expect(Array.from(c.indices.subarray(c.offsets[1]!, c.offsets[2]!))).toEqual([5, 7]);
  });

  it.each(factories)(
    '%s: isolated users and items, a user with every item, repeats: finite everywhere',
    (_k, make) => {
      const model = make();
      try {
        const all = model.scoreAll!(Int32Array.of(0, 1, 2, 3, 4));
        expect(all.every(Number.isFinite)).toBe(true);
        const l = model.loss(batch, testContext(2));
        expect(Number.isFinite(l.dataSync()[0]!)).toBe(true);
        l.dispose();
      } finally {
        model.dispose();
      }
    },
  );

  it.each(factories)('%s: ids out of range are DataErrors naming the array and position', (_k, make) => {
    const model = make();
    try {
      expect(() => model.score(Int32Array.of(5), Int32Array.of(0))).toThrow(/users\[0\] = 5/);
      expect(() => model.score(Int32Array.of(0), Int32Array.of(-1))).toThrow(DataError);
      expect(() => model.scoreAll!(Int32Array.of(0, 9))).toThrow(/users\[1\] = 9/);
      const bad = { ...batch, negatives: Int32Array.of(0, 6, 1) };
      expect(() => model.loss(bad, testContext())).toThrow(/negatives\[1\] = 6/);
    } finally {
      model.dispose();
    }
  });

  it('a graph over the wrong number of nodes is a DataError', () => {
    expect(() => ngcfFactory.create({ ...info, numItems: 7 })).toThrow(DataError);
    expect(() => graphNcfFactory.create({ ...ncfInfo, numUsers: 4 })).toThrow(DataError);
  });
});
