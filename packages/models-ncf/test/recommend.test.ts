import { ConfigError, UnknownIdError, initBackend } from '@ncf/core';
import type { DatasetInfo, Recommender } from '@ncf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { mfFactory, recommend, recommendBatch, seenCsr, topK } from '../src/index.js';

/** A recommender with fixed scores `table[user][item]` (no tensors). */
function fixed(table: number[][], info: Partial<DatasetInfo> = {}): Recommender {
  const numUsers = table.length;
  const numItems = table[0]!.length;
  return {
    kind: 'test/fixed',
    config: {},
    info: { numUsers, numItems, ...info },
    dataSpec: { batch: 'pointwise', labels: 'implicit', inputs: [] },
    loss: () => {
      throw new Error('not trainable');
    },
    score: (u, i) => Float32Array.from(u, (x, k) => table[x]![i[k]!]!),
    variables: () => [],
    save: async () => undefined,
    dispose: () => undefined,
  };
}

describe('topK', () => {
  it('returns the best indices first, ties by lower index, skipping -Infinity and NaN', () => {
    const s = Float32Array.of(0.5, 2, -Infinity, 2, NaN, 1, 0.5);
    expect(Array.from(topK(s, 3))).toEqual([1, 3, 5]);
    expect(Array.from(topK(s, 5))).toEqual([1, 3, 5, 0, 6]);
    expect(Array.from(topK(s, 10))).toEqual([1, 3, 5, 0, 6]);
    expect(Array.from(topK(Float32Array.of(-Infinity), 2))).toEqual([]);
  });
});

describe('seenCsr', () => {
  it('builds the per-user CSR from interactions', () => {
    const csr = seenCsr({ users: Int32Array.of(2, 0, 2), items: Int32Array.of(1, 3, 0), numUsers: 3 }, 3);
    expect(Array.from(csr.offsets)).toEqual([0, 1, 1, 3]);
    // rows sorted, as every Csr: user 2 saw items 1 then 0
    expect(Array.from(csr.indices)).toEqual([3, 0, 1]);
    expect([csr.numRows, csr.numCols]).toEqual([3, 4]);
  });
});

describe('recommend', () => {
  const info = {
    userIds: { type: 'string' as const, ids: ['ann', 'bob'] },
    itemIds: { type: 'number' as const, ids: [10, 20, 30, 40] },
  };
  const model = fixed(
    [
      [0.1, 0.9, 0.5, 0.7],
      [0.4, 0.3, 0.2, 0.1],
    ],
    info,
  );
  const seen = { numRows: 2, numCols: 4, offsets: Int32Array.of(0, 1, 1), indices: Int32Array.of(1) };

  it('returns external ids and scores, seen items excluded by default', () => {
    const r = recommend(model, 'ann', { k: 2, seen });
    expect(r.items).toEqual([40, 30]);
    expect(Array.from(r.scores)).toEqual([Math.fround(0.7), Math.fround(0.5)]);
    expect(r.user).toBe('ann');
    const all = recommend(model, 'ann', { k: 2, excludeSeen: false });
    expect(all.items).toEqual([20, 40]);
  });

  it('serves many users and candidate lists', () => {
    const rs = recommendBatch(model, ['bob', 'ann'], { k: 1, seen, candidates: [10, 20], batchUsers: 1 });
    expect(rs.map((r) => r.items)).toEqual([[10], [10]]);
  });

  it('throws typed errors for unknown ids and a missing seen set', () => {
    expect(() => recommend(model, 'eve', { seen })).toThrow(UnknownIdError);
    expect(() => recommend(model, 'ann', { seen, candidates: [99] })).toThrow(UnknownIdError);
    expect(() => recommend(model, 'ann')).toThrow(ConfigError);
    expect(() => recommend(model, 'ann', { seen, k: 0 })).toThrow(ConfigError);
    const noMaps = fixed([[1, 2]]);
    expect(recommend(noMaps, 0, { excludeSeen: false }).items).toEqual([1, 0]);
    expect(() => recommend(noMaps, 1, { excludeSeen: false })).toThrow(UnknownIdError);
    expect(() => recommend(noMaps, '0', { excludeSeen: false })).toThrow(UnknownIdError);
  });

  describe('with a real model', () => {
    beforeAll(async () => {
      await initBackend('cpu');
    });
    it('agrees with scoreAll', () => {
      const m = mfFactory.create({ numUsers: 5, numItems: 50 }, {}, { seed: 3 });
      const r = recommend(m, 4, { k: 5, excludeSeen: false });
      const all = m.scoreAll!(Int32Array.of(4));
      const sorted = Array.from(all.keys()).sort((a, b) => all[b]! - all[a]! || a - b);
      expect(r.items).toEqual(sorted.slice(0, 5));
      m.dispose();
    });
  });
});
