import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, initBackend } from '@ncf/core';
import { lightgcnFactory, ngcfFactory } from '../src/index.js';
import type { LightGcnModel, NgcfModel } from '../src/index.js';
import { clusteredInteractions, tinyInfo } from './tiny-graph.js';
import { graphBatches, trainAdam } from './train-helpers.js';

const NU = 24;
const NI = 30;
const data = clusteredInteractions(NU, NI, 3, 5, 7);
const info = tinyInfo(NU, NI, data.users, data.items);

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let k = 0; k < n; k++) {
    ma += a[k]! / n;
    mb += b[k]! / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < n; k++) {
    sab += (a[k]! - ma) * (b[k]! - mb);
    saa += (a[k]! - ma) ** 2;
    sbb += (b[k]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

function historyOf(u: number): { items: Int32Array; values: Float32Array } {
  const items = data.items.filter((_, e) => data.users[e] === u);
  return { items, values: new Float32Array(items.length).fill(1) };
}

type Inductive = LightGcnModel | NgcfModel;

const models: Array<[string, () => Inductive]> = [
  ['gnn/lightgcn', () => lightgcnFactory.create(info, { embeddingSize: 8, layers: 2, l2: 0 }, { seed: 3 })],
  [
    'gnn/ngcf',
    () =>
      ngcfFactory.create(
        info,
        { embeddingSize: 8, layerSizes: [8, 8], l2: 0, messageDropout: 0 },
        { seed: 3 },
      ),
  ],
];

describe.each(['cpu', 'wasm'] as const)('inductive scoring on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it.each(models)("%s: a training user's own history scores like the user", (_kind, make) => {
    const model = make();
    try {
      trainAdam(model, graphBatches(data.users, data.items, NI, 32, 5), 25, 0.02);
      for (const u of [0, 1, 2, 7]) {
        const own = model.scoreAll(Int32Array.of(u));
        const folded = model.scoreHistory(historyOf(u));
        const otherCluster = model.scoreAll(Int32Array.of((u + 1) % NU));
        const r = pearson(folded, own);
        expect(r).toBeGreaterThan(0.9);
        expect(r).toBeGreaterThan(pearson(folded, otherCluster) + 0.2);
        // the top item of the folded-in user is in the user's cluster
        const top = folded.indexOf(Math.max(...folded));
        expect(Math.floor(top / 10)).toBe(u % 3);
      }
      // a subset of items, in the order given
      const h = historyOf(0);
      const sub = model.scoreHistory(h, Int32Array.of(5, 1));
      const all = model.scoreHistory(h);
      expect(Array.from(sub)).toEqual([all[5], all[1]]);
      // a new item from its users scores like the trained item
      const item = data.items[0]!;
      const users = data.users.filter((_, e) => data.items[e] === item);
      const v = model.foldInItem(users);
      const final = model.finalEmbeddings();
      const dim = v.length;
      const foldedScores = Array.from({ length: NU }, (_, u) =>
        v.reduce((s, x, k) => s + x * final[u * dim + k]!, 0),
      );
      const trained = model.score(
        Int32Array.from({ length: NU }, (_, u) => u),
        new Int32Array(NU).fill(item),
      );
      expect(pearson(foldedScores, trained)).toBeGreaterThan(0.9);
    } finally {
      model.dispose();
    }
  });

  it.each(models)('%s: empty and bad histories', (_kind, make) => {
    const model = make();
    try {
      const empty = model.scoreHistory({ items: new Int32Array(0), values: new Float32Array(0) });
      expect(empty.length).toBe(NI);
      expect(empty.every((s) => s === 0)).toBe(true);
      expect(() => model.scoreHistory({ items: Int32Array.of(NI), values: Float32Array.of(1) })).toThrow(
        DataError,
      );
      expect(() => model.scoreHistory({ items: Int32Array.of(1), values: new Float32Array(0) })).toThrow(
        /history.values/,
      );
      // duplicates count once
      const once = model.scoreHistory({ items: Int32Array.of(3), values: Float32Array.of(1) });
      const twice = model.scoreHistory({ items: Int32Array.of(3, 3), values: Float32Array.of(1, 1) });
      expect(Array.from(twice)).toEqual(Array.from(once));
    } finally {
      model.dispose();
    }
  });
});
