import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, UnknownIdError, createRng, denseLookupContext, initBackend, tf } from '@ncf/core';
import type { DatasetInfo, UserHistoryBatch } from '@ncf/core';
import {
  centredRatings,
  interactionsFromArrays,
  userRatingHistories,
  userHistorySource,
} from '@ncf/datasets';
import {
  AttentionNcfModel,
  attentionNcfFactory,
  contentNcfFactory,
  resolveAttentionNcfConfig,
  explainFromWeights,
  explanationThreshold,
  recommendForRatings,
} from '../src/index.js';
import type { ContentNcfModel } from '../src/index.js';

/**
 * Behaviour of Content and Attention NCF beyond the conformance kit: target masking, centring identical to
 * the batch source's, new users by history (= the same history as a known user), new items by features,
 * explanations on hand-computed weights, and every bad input of the new-user path.
 */

// 6 users × 8 items, ratings 1–5, items with 3 features (item 7 has no ratings: a cold item, same features as 1).
const U = [0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 5];
const I = [0, 1, 2, 1, 3, 4, 0, 5, 2, 3, 6, 4, 5, 0, 1, 6];
const R = [5, 4, 1, 3, 5, 2, 4, 4, 1, 2, 5, 3, 3, 5, 5, 2];
const interactions = interactionsFromArrays(
  { users: Int32Array.from(U), items: Int32Array.from(I), ratings: Float32Array.from(R) },
  { numUsers: 6, numItems: 8 },
);
const F = [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1, 0];
const info: DatasetInfo = {
  numUsers: 6,
  numItems: 8,
  ratingRange: [1, 5],
  itemIds: { type: 'string', ids: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] },
  itemFeatures: { names: ['x', 'y', 'z'], rows: 8, dim: 3, values: Float32Array.from(F) },
  userHistories: userRatingHistories(interactions),
  itemCounts: Float32Array.from({ length: 8 }, (_, i) => I.filter((x) => x === i).length),
};
const small = { dim: 4, layers: [8, 4], dropout: 0 };

beforeAll(async () => {
  await initBackend('cpu');
});

describe('Attention NCF', () => {
  it('target masking: in training, a history that contains the candidate gives the same loss as one without it', () => {
    // Without info.userHistories the model uses the batch's histories as given (and masks the candidate).
    const { userHistories: _h, ...batchOnly } = info;
    // (the factory requires userHistories, so the class is built directly).
    const model = new AttentionNcfModel(
      batchOnly,
      resolveAttentionNcfConfig({ ...small, attentionDim: 4 }),
      3,
    );
    const batch = (withTarget: boolean): UserHistoryBatch => ({
      kind: 'user-history',
      users: Int32Array.of(0),
      items: Int32Array.of(1),
      labels: Float32Array.of(4),
      offsets: Int32Array.of(0, withTarget ? 3 : 2),
      historyItems: withTarget ? Int32Array.of(0, 1, 2) : Int32Array.of(0, 2),
      historyValues: withTarget ? Float32Array.of(1.5, 0.5, -2.5) : Float32Array.of(1.5, -2.5),
    });
    const lossOf = (b: UserHistoryBatch, training: boolean): number =>
      tf.tidy(() => model.loss(b, denseLookupContext({ training, rng: createRng(1) })).dataSync()[0]!);
    expect(lossOf(batch(true), true)).toBe(lossOf(batch(false), true));
    // Without masking (inference) the candidate would attend to itself: the losses differ.
    expect(lossOf(batch(true), false)).not.toBe(lossOf(batch(false), false));
    model.dispose();
  });

  it("leaves the target's own rating out of its training input (history and mean alike)", () => {
    const withRating = (r: number): DatasetInfo => {
      const h = userRatingHistories(interactions);
      const values = Float32Array.from(h.values!);
      values[1] = r; // user 0's rating of item 1
      return { ...info, userHistories: { ...h, values } };
    };
    const batch: UserHistoryBatch = {
      kind: 'user-history',
      users: Int32Array.of(0),
      items: Int32Array.of(1),
      labels: Float32Array.of(4),
      offsets: Int32Array.of(0, 2),
      historyItems: Int32Array.of(0, 2),
      historyValues: Float32Array.of(0, 0),
    };
    const lossWith = (r: number, target: number): number => {
      const m = attentionNcfFactory.create(withRating(r), { ...small, attentionDim: 4 }, { seed: 3 });
      const b = { ...batch, items: Int32Array.of(target) };
      const l = tf.tidy(
        () => m.loss(b, denseLookupContext({ training: true, rng: createRng(1) })).dataSync()[0]!,
      );
      m.dispose();
      return l;
    };
    // target item 1: its rating (4 or 1) must not matter
    expect(lossWith(4, 1)).toBe(lossWith(1, 1));
    // another target (item 2): item 1 is in the history, so its rating does matter
    expect(lossWith(4, 2)).not.toBe(lossWith(1, 2));
  });

  it("centres a new user's raw ratings exactly as the batch source centres training histories", () => {
    const model = attentionNcfFactory.create(
      info,
      { ...small, attentionDim: 4 },
      { seed: 3 },
    ) as unknown as AttentionNcfModel;
    const src = userHistorySource(interactions, { labels: 'rating', shuffle: false, maskTarget: false });
    const b = src.batches(64, createRng(1))[Symbol.iterator]().next().value as UserHistoryBatch;
    const centred = centredRatings(interactions);
    // user 0's history from the source, and the model's own centring of user 0's raw ratings
    const k = Array.from(b.users).indexOf(0);
    const fromSource = Array.from(b.historyValues.subarray(b.offsets[k]!, b.offsets[k + 1]!));
    expect(fromSource).toEqual(Array.from(centred.subarray(0, 3)));
    // 5, 4, 1 with k = 5 pseudo-ratings at 3: mean (10 + 15)/8 = 3.125
    expect(fromSource.map((v) => +v.toFixed(4))).toEqual([1.875, 0.875, -2.125]);
    const sameAsKnown = model.scoreHistory({
      items: Int32Array.of(0, 1, 2),
      values: Float32Array.of(5, 4, 1),
    });
    expect(Array.from(sameAsKnown)).toEqual(Array.from(model.scoreAll(Int32Array.of(0))));
    model.dispose();
  });

  it('attention weights: one row per candidate over the history, each summing to 1 at β = 1; explain agrees with them', () => {
    const model = attentionNcfFactory.create(
      info,
      { ...small, attentionDim: 4 },
      { seed: 5 },
    ) as unknown as AttentionNcfModel;
    const m = model.attentionWeights(1, Int32Array.of(0, 5, 7));
    expect(Array.from(m.history)).toEqual([1, 3, 4]);
    for (let r = 0; r < 3; r++) {
      const row = m.weights.subarray(r * 3, r * 3 + 3);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
    const ex = model.explain(1, Int32Array.of(0, 5, 7), { ratio: 1 });
    ex.forEach((e, r) => {
      const row = m.weights.subarray(r * 3, r * 3 + 3);
      const expected = [1, 3, 4].filter((_, j) => row[j]! >= 1 / 3 - 1e-6);
      expect(e.reasons.map((x) => x.item).sort()).toEqual(expected.sort());
    });
    model.dispose();
  });

  it('runs on ids only (no item features), as NAIS', () => {
    const { itemFeatures: _, ...noFeatures } = info;
    const model = attentionNcfFactory.create(noFeatures, { ...small, itemInput: 'id', attentionDim: 4 });
    expect(model.scoreAll!(Int32Array.of(0)).every(Number.isFinite)).toBe(true);
    expect(() => attentionNcfFactory.create(noFeatures, small)).toThrow(/itemFeatures/);
    model.dispose();
  });
});

describe('explanation threshold (hand-computed)', () => {
  const h = Int32Array.of(10, 11, 12);
  it('keeps the items whose share is at least ratio / |N(u)|', () => {
    // threshold 1.5 / 3 = 0.5: only item 10 (0.5)
    expect(explainFromWeights(h, Float32Array.of(0.5, 0.3, 0.2)).map((r) => r.item)).toEqual([10]);
    // ratio 0.9: threshold 0.3, items 10 and 11, best first
    expect(explainFromWeights(h, Float32Array.of(0.3, 0.5, 0.2), { ratio: 0.9 }).map((r) => r.item)).toEqual([
      11, 10,
    ]);
    // uniform attention explains nothing at ratio 1.5
    expect(explainFromWeights(h, Float32Array.of(1 / 3, 1 / 3, 1 / 3))).toEqual([]);
  });
  it("a one-item history is its own reason (the seed's 1.5/|N| + 0.025 = 1.525 could never be met)", () => {
    expect(explanationThreshold(1)).toBe(1);
    expect(explainFromWeights(Int32Array.of(7), Float32Array.of(1))).toEqual([
      { item: 7, weight: 1, share: 1 },
    ]);
    expect(1.5 / 1 + 0.025).toBeGreaterThan(1);
  });
  it('uses shares of the total for β < 1 weights (which do not sum to 1), and caps the number of reasons', () => {
    // 0.8 and 0.4: shares 2/3 and 1/3; threshold min(1, 1.5/2) = 0.75 → none; ratio 1 → 0.5 → item 10
    expect(explainFromWeights(Int32Array.of(10, 11), Float32Array.of(0.8, 0.4))).toEqual([]);
    const r = explainFromWeights(Int32Array.of(10, 11), Float32Array.of(0.8, 0.4), { ratio: 1 });
    expect(r.map((x) => x.item)).toEqual([10]);
    expect(r[0]!.share).toBeCloseTo(2 / 3, 6);
    const many = Int32Array.from({ length: 10 }, (_, j) => j);
    const w = Float32Array.from({ length: 10 }, (_, j) => (j < 5 ? 0.18 : 0.02));
    expect(explainFromWeights(many, w, { maxReasons: 2 })).toHaveLength(2);
  });
});

describe.each([
  ['content', contentNcfFactory],
  ['attention', attentionNcfFactory],
] as const)('%s NCF: cold start and bad input', (name, factory) => {
  const create = (): ContentNcfModel =>
    factory.create(info, (name === 'attention' ? { ...small, attentionDim: 4 } : small) as never, {
      seed: 2,
    }) as unknown as ContentNcfModel;

  it('scores a new item from its features: items with identical features score identically', () => {
    const model = create();
    const s = model.scoreHistory({ items: Int32Array.of(0, 3), values: Float32Array.of(5, 2) });
    expect(s).toHaveLength(8);
    // item 7 has no ratings and the same feature row as item 1
    expect(s[7]).toBe(s[1]);
    model.dispose();
  });

  it('rejects unknown item indices and ratings outside the scale, naming the pair', () => {
    const model = create();
    expect(() => model.scoreHistory({ items: Int32Array.of(0, 99), values: Float32Array.of(4, 4) })).toThrow(
      /history pair 1 \(item 99, value 4\): item is not a dense index in \[0, 8\)/,
    );
    expect(() => model.scoreHistory({ items: Int32Array.of(0, 2), values: Float32Array.of(4, 7) })).toThrow(
      /history pair 1 \(item 2, value 7\): rating outside the model's scale \[1, 5\]/,
    );
    expect(() => recommendForRatings(model, [{ item: 'a', rating: 0 }])).toThrow(DataError);
    model.dispose();
  });

  it('new users by external ids: unknown items skipped with a count, or an error; empty history → popularity', () => {
    const model = create();
    const r = recommendForRatings(
      model,
      [
        { item: 'a', rating: 5 },
        { item: 'zz', rating: 4 },
      ],
      { k: 3 },
    );
    expect(r.strategy).toBe('history');
    expect(r.skipped).toEqual(['zz']);
    expect(r.items).toHaveLength(3);
    expect(r.items).not.toContain('a');
    expect(() => recommendForRatings(model, [{ item: 'zz', rating: 4 }], { unknownItems: 'error' })).toThrow(
      UnknownIdError,
    );
    const p = recommendForRatings(model, [], { k: 2 });
    expect(p.strategy).toBe('popularity');
    // training counts: a 3, b 3, … → 'a' then 'b' (ties by index)
    expect(p.items).toEqual(['a', 'b']);
    const allUnknown = recommendForRatings(model, [{ item: 'zz' }], { k: 1 });
    expect(allUnknown.strategy).toBe('popularity');
    expect(allUnknown.skipped).toHaveLength(1);
    model.dispose();
  });
});

describe('explanations through the new-user API', () => {
  it('returns reasons with external ids and titles', () => {
    const model = attentionNcfFactory.create(
      info,
      { ...small, attentionDim: 4 },
      { seed: 2 },
    ) as unknown as AttentionNcfModel;
    const r = recommendForRatings(model, [{ item: 'a', rating: 5 }], {
      k: 2,
      explain: true,
      titles: (id) => `Movie ${String(id)}`,
    });
    // one rated item: it is the reason of every recommendation, with all the attention
    expect(r.reasons).toEqual([
      [{ item: 'a', title: 'Movie a', weight: 1, share: 1 }],
      [{ item: 'a', title: 'Movie a', weight: 1, share: 1 }],
    ]);
    model.dispose();
  });
});
