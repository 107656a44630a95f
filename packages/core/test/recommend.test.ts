import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DataError,
  HistoryScoringUnsupportedError,
  UnknownIdError,
  foldInUser,
  recommend,
  recommendBatch,
  recommendForHistory,
  scoreNewUser,
  scoreWithItemFactors,
  seenCsr,
} from '../src/index.js';
import type { DatasetInfo, ItemFactors, Recommender } from '../src/index.js';

/** A recommender with fixed scores `table[user][item]` (no tensors). */
function fixed(
  table: number[][],
  info: Partial<DatasetInfo> = {},
  extra: Partial<Recommender> = {},
): Recommender {
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
    ...extra,
  };
}

describe('seenCsr', () => {
  it('builds the per-user CSR from interactions', () => {
    const csr = seenCsr({ users: Int32Array.of(2, 0, 2), items: Int32Array.of(1, 3, 0), numUsers: 3 }, 3);
    expect(Array.from(csr.offsets)).toEqual([0, 1, 1, 3]);
    // rows sorted, as every Csr: user 2 saw items 1 then 0
    expect(Array.from(csr.indices)).toEqual([3, 0, 1]);
    expect([csr.numRows, csr.numCols]).toEqual([3, 4]);
    expect(() =>
      seenCsr({ numRows: 1, numCols: 1, offsets: Int32Array.of(0, 1), indices: Int32Array.of(0) }, 3),
    ).toThrow(DataError);
  });
});

const ids = {
  userIds: { type: 'string' as const, ids: ['ann', 'bob'] },
  itemIds: { type: 'number' as const, ids: [10, 20, 30, 40] },
};

describe('recommend', () => {
  const model = fixed(
    [
      [0.1, 0.9, 0.5, 0.7],
      [0.4, 0.3, 0.2, 0.1],
    ],
    ids,
  );
  const seen = { numRows: 2, numCols: 4, offsets: Int32Array.of(0, 1, 1), indices: Int32Array.of(1) };

  it('returns external ids and scores, seen items excluded by default', () => {
    const r = recommend(model, 'ann', { k: 2, seen });
    expect(r.items).toEqual([40, 30]);
    expect(Array.from(r.itemIndices)).toEqual([3, 2]);
    expect(Array.from(r.scores)).toEqual([Math.fround(0.7), Math.fround(0.5)]);
    expect(r.user).toBe('ann');
    const all = recommend(model, 'ann', { k: 2, excludeSeen: false });
    expect(all.items).toEqual([20, 40]);
  });

  it('serves many users and candidate lists, and k above the catalog returns every candidate', () => {
    const rs = recommendBatch(model, ['bob', 'ann'], { k: 1, seen, candidates: [10, 20], batchUsers: 1 });
    expect(rs.map((r) => r.items)).toEqual([[10], [10]]);
    expect(recommend(model, 'bob', { k: 9, excludeSeen: false }).items).toEqual([10, 20, 30, 40]);
  });

  it('breaks ties by the lower item index and never returns NaN or -Infinity scores', () => {
    const m = fixed([[1, NaN, 2, -Infinity, 2, 1]]);
    expect(recommend(m, 0, { k: 6, excludeSeen: false }).items).toEqual([2, 4, 0, 5]);
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
});

/** A rating model in pure TypeScript: 2-d item vectors, item biases, offset 3, user biases. */
const ratingFactors: ItemFactors = {
  dim: 2,
  vectors: Float32Array.of(1, 0, 0, 1, 1, 1, -1, 0),
  bias: Float32Array.of(0.2, -0.1, 0, 0.3),
  offset: 3,
  userBias: true,
  output: 'rating',
};

function factorModel(factors: ItemFactors, info: Partial<DatasetInfo> = {}): Recommender {
  return fixed(
    [[0, 0, 0, 0]],
    { ...ids, userIds: { type: 'string', ids: ['ann'] }, ...info },
    {
      itemFactors: () => factors,
    },
  );
}

describe('scoreNewUser', () => {
  const history = { items: Int32Array.of(0, 1, 2), values: Float32Array.of(4, 2, 4.5) };

  it('folds in a dot-product model: the scores of the solved user under its item factors', () => {
    const model = factorModel(ratingFactors);
    const { scores, strategy } = scoreNewUser(model, history, { foldIn: { l2: 0.5 } });
    expect(strategy).toBe('fold-in');
    const user = foldInUser(ratingFactors, history, { l2: 0.5 });
    expect(Array.from(scores)).toEqual(Array.from(scoreWithItemFactors(ratingFactors, user)));
    const some = scoreNewUser(model, history, { items: Int32Array.of(3, 0), foldIn: { l2: 0.5 } });
    expect(Array.from(some.scores)).toEqual([scores[3], scores[0]]);
  });

  it('prefers the model’s own scoreHistory', () => {
    const calls: number[][] = [];
    const model = fixed(
      [[0, 0, 0, 0]],
      {},
      {
        scoreHistory: (h, items) => {
          calls.push(Array.from(h.items));
          return Float32Array.from(items ?? [0, 1, 2, 3], (i) => i * 10);
        },
        itemFactors: () => ratingFactors,
      },
    );
    const out = scoreNewUser(model, history, { items: Int32Array.of(2) });
    expect(out).toEqual({ scores: Float32Array.of(20), strategy: 'history' });
    expect(calls).toEqual([[0, 1, 2]]);
  });

  it('throws HistoryScoringUnsupportedError naming the kind, and DataError for a bad history', () => {
    const plain = fixed([[0, 1]]);
    expect(() => scoreNewUser(plain, { items: Int32Array.of(0), values: Float32Array.of(1) })).toThrow(
      HistoryScoringUnsupportedError,
    );
    expect(() => scoreNewUser(plain, { items: Int32Array.of(0), values: Float32Array.of(1) })).toThrow(
      /'test\/fixed' cannot score a user given by history/,
    );
    expect(() =>
      scoreNewUser(factorModel(ratingFactors), { items: Int32Array.of(7), values: Float32Array.of(1) }),
    ).toThrow(DataError);
  });
});

describe('recommendForHistory', () => {
  const model = factorModel(ratingFactors, { ratingRange: [1, 5], itemCounts: Float32Array.of(5, 9, 1, 7) });
  const ratings = [
    { item: 10, rating: 4 },
    { item: 99, rating: 5 },
    { item: 20, rating: 2 },
  ];

  it('maps external ids, skips unknown items, leaves rated items out and ranks by the fold-in', () => {
    const r = recommendForHistory(model, ratings, { k: 5, foldIn: { l2: 0.5 } });
    expect(r.strategy).toBe('fold-in');
    expect(r.skipped).toEqual([99]);
    const { scores } = scoreNewUser(
      model,
      { items: Int32Array.of(0, 1), values: Float32Array.of(4, 2) },
      { foldIn: { l2: 0.5 } },
    );
    const expected = [2, 3].sort((a, b) => scores[b]! - scores[a]!);
    expect(Array.from(r.itemIndices)).toEqual(expected);
    expect(r.items).toEqual(expected.map((i) => ids.itemIds.ids[i]));
    expect(Array.from(r.scores)).toEqual(expected.map((i) => scores[i]));
    const withRated = recommendForHistory(model, ratings, {
      k: 5,
      excludeRated: false,
      candidates: [10, 40],
    });
    expect([...withRated.items].sort()).toEqual([10, 40]);
  });

  it('falls back to training popularity when no item is known, honouring candidates', () => {
    const r = recommendForHistory(model, [{ item: 'nope' }], { k: 2 });
    expect(r).toMatchObject({ strategy: 'popularity', items: [20, 40], skipped: ['nope'] });
    expect(Array.from(r.scores)).toEqual([9, 7]);
    expect(recommendForHistory(model, [], { k: 1, candidates: [10, 30] }).items).toEqual([10]);
    const noCounts = factorModel(ratingFactors, { ratingRange: [1, 5] });
    expect(() => recommendForHistory(noCounts, [])).toThrow(/has no itemCounts/);
  });

  it('throws typed errors naming the pair: out of range, not a number, missing, twice, unknown under error', () => {
    expect(() =>
      recommendForHistory(model, [
        { item: 10, rating: 4 },
        { item: 20, rating: 6 },
      ]),
    ).toThrow(/ratings\[1\] \(item 20\): rating 6 is outside the model's rating range \[1, 5\]/);
    expect(() => recommendForHistory(model, [{ item: 10, rating: NaN }])).toThrow(DataError);
    expect(() => recommendForHistory(model, [{ item: 10 }])).toThrow(
      /ratings\[0\] \(item 10\) has no rating/,
    );
    expect(() =>
      recommendForHistory(model, [
        { item: 10, rating: 3 },
        { item: 10, rating: 4 },
      ]),
    ).toThrow(/ratings\[1\]: item 10 was already given at ratings\[0\]/);
    expect(() => recommendForHistory(model, ratings, { unknownItems: 'error' })).toThrow(UnknownIdError);
    expect(() => recommendForHistory(fixed([[1, 2]]), [{ item: 0 }])).toThrow(HistoryScoringUnsupportedError);
    // An empty history needs no model capability: popularity answers it.
    const plain = fixed([[1, 2]], { itemCounts: Float32Array.of(3, 5) });
    expect(recommendForHistory(plain, [], { k: 1 })).toMatchObject({ strategy: 'popularity', items: [1] });
  });

  it('accepts items without ratings for a logit fold-in (which uses only which items were rated)', () => {
    const logit = factorModel({ ...ratingFactors, output: 'logit' }, { ratingRange: [1, 5] });
    const r = recommendForHistory(logit, [{ item: 10 }, { item: 30, rating: 5 }], { k: 1 });
    expect(r.strategy).toBe('fold-in');
    expect(r.items).toHaveLength(1);
    expect([10, 30]).not.toContain(r.items[0]);
  });
});
