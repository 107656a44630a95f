import { describe, expect, it } from 'vitest';
import { AbortError, ConfigError, DataError } from '@ncf/core';
import {
  evaluate,
  sampleNegatives,
  userItemsFromPairs,
  type EvalData,
  type NegativeLists,
  type Scorer,
} from '../src/index.js';

const L2 = Math.log2;

// 3 users × 6 items. Train: u0 {0, 1}, u1 {2}. Test: u0 → 2; u1 → 0 and 5; u2 has nothing held out.
const S = [
  [0.9, 0.8, 0.5, 0.7, 0.1, 0.5],
  [0.3, 0.9, 0.99, 0.2, 0.3, 0.6],
  [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
];
const matrixScorer = (m: number[][], withScoreAll = true): Scorer => ({
  kind: 'test/matrix',
  score: (users, items) =>
    Float32Array.from(users, (u, p) => (m[u] as number[])[items[p] as number] as number),
  ...(withScoreAll
    ? { scoreAll: (users: Int32Array) => Float32Array.from([...users].flatMap((u) => m[u] as number[])) }
    : {}),
});
const data: EvalData = {
  name: 'tiny',
  numUsers: 3,
  numItems: 6,
  test: {
    users: Int32Array.from([0, 1, 1]),
    items: Int32Array.from([2, 0, 5]),
    ratings: Float32Array.from([4, 2, 5]),
  },
  exclude: userItemsFromPairs(3, Int32Array.from([0, 0, 1]), Int32Array.from([0, 1, 2])),
};

describe('full-ranking protocol on a worked example', () => {
  // u0: candidates 3 (0.7), 5 (0.5), 2 (0.5, relevant: after 5 by the tie rule), 4 (0.1) → hit at 0-based rank 2.
  // u1: candidates 1 (0.9), 5 (0.6, rel), 4 (0.3), 0 (0.3, rel: after 4), 3 (0.2) → hits at ranks 1 and 3.
  it('computes every metric by hand', async () => {
    const r = await evaluate(matrixScorer(S), data, { k: [2, 3] });
    expect(r.users).toBe(2);
    expect(r.metrics['hr@2']).toBe(0.5);
    expect(r.metrics['hr@3']).toBe(1);
    expect(r.metrics['ndcg@3']).toBeCloseTo((1 / L2(4) + 1 / L2(3) / (1 + 1 / L2(3))) / 2, 12);
    expect(r.metrics['mrr@3']).toBeCloseTo((1 / 3 + 1 / 2) / 2, 12);
    expect(r.metrics['recall@3']).toBeCloseTo((1 + 1 / 2) / 2, 12);
    expect(r.metrics['precision@3']).toBeCloseTo((1 / 3 + 1 / 3) / 2, 12);
    // AP@3: u0 (1/3)/1; u1 (1/2)/min(2,3)
    expect(r.metrics['map@3']).toBeCloseTo((1 / 3 + 1 / 4) / 2, 12);
    // top-3 lists [3,5,2] and [1,5,4] cover items {1,2,3,4,5}; top-2 lists [3,5], [1,5] cover {1,3,5}
    expect(r.metrics['coverage@3']).toBeCloseTo(5 / 6, 12);
    expect(r.metrics['coverage@2']).toBeCloseTo(3 / 6, 12);
  });

  it('gives the same numbers through pair scoring, any batch size', async () => {
    const a = await evaluate(matrixScorer(S), data, { k: [2, 3] });
    const b = await evaluate(matrixScorer(S, false), data, { k: [2, 3], batchSize: 1 });
    expect(b.metrics).toEqual(a.metrics);
  });

  it('scores about scoreBudget values per model call (memory follows the batch, not users × items)', async () => {
    const n = 40;
    const test = {
      users: Int32Array.from({ length: n }, (_, u) => u),
      items: Int32Array.from({ length: n }, (_, u) => u % 6),
    };
    const sizes: number[] = [];
    const scorer: Scorer = {
      score: () => new Float32Array(0),
      scoreAll: (users) => {
        sizes.push(users.length * 6);
        return Float32Array.from({ length: users.length * 6 }, (_, j) => j % 7);
      },
    };
    const r = await evaluate(scorer, { numUsers: n, numItems: 6, test }, { k: 2, full: { scoreBudget: 60 } });
    expect(r.users).toBe(n);
    expect(Math.max(...sizes)).toBe(60); // 10 users × 6 items
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(n * 6);
  });

  it('graded NDCG uses the held-out ratings', async () => {
    const r = await evaluate(matrixScorer(S), data, { k: 3, full: { graded: true } });
    // u0: one item (rating 4) at rank 2 → (4/log2 4)/4 = 0.5. u1: rating 5 at rank 1, rating 2 at rank 3 (beyond
    // K... rank 3 is 0-based 3, outside top-3): DCG 5/log2 3; ideal 5 + 2/log2 3.
    expect(r.metrics['ndcg@3']).toBeCloseTo((0.5 + 5 / L2(3) / (5 + 2 / L2(3))) / 2, 12);
  });

  it('AUC over all unmasked items (optional)', async () => {
    const r = await evaluate(matrixScorer(S), data, { k: 3, full: { auc: true } });
    // u0: relevant 2 (0.5) vs 3 (0.7), 4 (0.1), 5 (0.5): (1 + 0.5)/3. u1: relevant 0 (0.3) vs 1, 3, 4 → (1 + 0.5)/3;
    // relevant 5 (0.6) vs 1 (0.9), 3, 4 → 2/3; mean over u1's items 7/12.
    expect(r.metrics.auc).toBeCloseTo((0.5 + 7 / 12) / 2, 12);
  });

  it('a constant scorer does not score above chance: HR is 0 under the pessimistic tie rule', async () => {
    const constant: Scorer = {
      score: (u) => new Float32Array(u.length).fill(1),
      scoreAll: (u) => new Float32Array(u.length * 6).fill(1),
    };
    const r = await evaluate(constant, data, { k: 3 });
    expect(r.metrics['hr@3']).toBe(0);
    expect(r.metrics['ndcg@3']).toBe(0);
  });

  it('relabelling tied irrelevant items changes nothing', async () => {
    // Items 3 and 4 are irrelevant to every user; give them tied scores and swap their ids.
    const tied = S.map((row) => row.map((s, i) => (i === 3 || i === 4 ? 0.5 : s)));
    const swapped = tied.map((row) => row.map((_, i) => row[i === 3 ? 4 : i === 4 ? 3 : i] as number));
    const a = await evaluate(matrixScorer(tied), data, { k: [1, 2, 3, 5] });
    const b = await evaluate(matrixScorer(swapped), data, { k: [1, 2, 3, 5] });
    for (const [name, v] of Object.entries(a.metrics))
      if (!name.startsWith('coverage')) expect(b.metrics[name]).toBe(v);
  });

  it('masks nothing without exclude, and masked items never appear in top lists', async () => {
    const { exclude: _drop, ...noMask } = data;
    const r = await evaluate(matrixScorer(S), noMask, { k: 1 });
    // u0's best is item 0 (0.9, not relevant) → miss; u1's best is item 2 (0.99) → miss.
    expect(r.metrics['hr@1']).toBe(0);
    expect(r.masked).toBe('nothing');
  });

  it('reports per user group', async () => {
    const groups = { names: ['g0', 'g1'], ofUser: Int32Array.from([0, 1, 1]) };
    const r = await evaluate(matrixScorer(S), data, { k: 3, groups });
    expect(r.groups?.g0?.count).toBe(1);
    expect(r.groups?.g0?.metrics['ndcg@3']).toBeCloseTo(0.5, 12);
    expect(r.groups?.g1?.metrics['ndcg@3']).toBeCloseTo(1 / L2(3) / (1 + 1 / L2(3)), 12);
    expect(r.groups?.g0?.metrics['coverage@3']).toBeCloseTo(3 / 6, 12);
  });
});

describe('sampled protocol', () => {
  const negatives: NegativeLists = {
    users: Int32Array.from([0, 1, 1]),
    positives: Int32Array.from([2, 0, 5]),
    offsets: Int32Array.from([0, 3, 5, 7]),
    items: Int32Array.from([3, 4, 5, 1, 3, 0, 4]),
    source: 'test lists',
    duplicates: 0,
  };
  it('ranks each positive among its negatives, ties against the positive', async () => {
    const r = await evaluate(matrixScorer(S), { ...data, negatives }, { protocol: 'sampled', k: [1, 3] });
    // row (0,2): 0.5 vs 0.7, 0.1, 0.5 → rank 2; row (1,0): 0.3 vs 0.9, 0.2 → rank 1; row (1,5): 0.6 vs 0.3, 0.3 → rank 0
    expect(r.units).toBe(3);
    expect(r.users).toBe(2);
    expect(r.metrics['hr@1']).toBeCloseTo(1 / 3, 12);
    expect(r.metrics['hr@3']).toBe(1);
    expect(r.metrics['ndcg@3']).toBeCloseTo((1 / L2(4) + 1 / L2(3) + 1) / 3, 12);
    expect(r.metrics['mrr@3']).toBeCloseTo((1 / 3 + 1 / 2 + 1) / 3, 12);
    expect(r.metrics.auc).toBeCloseTo((1.5 / 3 + 1 / 2 + 1) / 3, 12);
    expect(r.sampled).toBe(true);
    expect(r.description).toMatch(/SAMPLED: 1 positive \+ 2–3 negatives/);
  });

  it('keeps repeated negatives by default and drops them (and the positive) with dedupe', async () => {
    // row (0,2) lists item 3 twice and its own positive 2: 0.5 vs 0.7, 0.7, 0.5 (itself), 0.1 → rank 3
    const repeated: NegativeLists = {
      ...negatives,
      offsets: Int32Array.from([0, 4, 6, 8]),
      items: Int32Array.from([3, 3, 2, 4, 1, 3, 0, 4]),
      duplicates: 1,
    };
    const kept = await evaluate(
      matrixScorer(S),
      { ...data, negatives: repeated },
      { protocol: 'sampled', k: 3 },
    );
    expect(kept.metrics['hr@3']).toBeCloseTo(2 / 3, 12); // row (0,2) misses at rank 3
    expect(kept.notes).toContain('negatives contain 1 repeated items (kept as given)');
    const clean = await evaluate(
      matrixScorer(S),
      { ...data, negatives: repeated },
      { protocol: 'sampled', k: 3, sampled: { dedupe: true } },
    );
    // deduplicated row (0,2): 0.5 vs 0.7 (item 3), 0.1 (item 4) → rank 1: a hit
    expect(clean.metrics['hr@3']).toBe(1);
    expect(clean.negatives).toMatch(/deduplicated: 2 repeated or positive entries dropped/);
  });

  it('fails clearly when a held-out row has no negatives', async () => {
    const partial = {
      ...negatives,
      users: Int32Array.from([0]),
      positives: Int32Array.from([2]),
      offsets: Int32Array.from([0, 3]),
      items: Int32Array.from([3, 4, 5]),
    };
    await expect(
      evaluate(matrixScorer(S), { ...data, negatives: partial }, { protocol: 'sampled' }),
    ).rejects.toThrow(/no negatives for held-out row 1 \(user 1, item 0\)/);
  });

  it('draws distinct, seeded negatives outside the user’s train and test items', () => {
    const numUsers = 50;
    const numItems = 200;
    const users = Int32Array.from({ length: 100 }, (_, i) => i % numUsers);
    const items = Int32Array.from({ length: 100 }, (_, i) => (i * 7) % numItems);
    const trainU = Int32Array.from({ length: 500 }, (_, i) => i % numUsers);
    const trainI = Int32Array.from({ length: 500 }, (_, i) => (i * 13 + 1) % numItems);
    const exclude = userItemsFromPairs(numUsers, trainU, trainI);
    const held = userItemsFromPairs(numUsers, users, items);
    const a = sampleNegatives(numItems, { users, items }, exclude, held, { count: 20, seed: 5 });
    const b = sampleNegatives(numItems, { users, items }, exclude, held, { count: 20, seed: 5 });
    const c = sampleNegatives(numItems, { users, items }, exclude, held, { count: 20, seed: 6 });
    expect(a.items).toEqual(b.items);
    expect(a.items).not.toEqual(c.items);
    for (let r = 0; r < users.length; r++) {
      const u = users[r] as number;
      const list = [...a.items.subarray(a.offsets[r], a.offsets[r + 1])];
      expect(new Set(list).size).toBe(20);
      const forbidden = new Set([
        ...exclude.items.subarray(exclude.offsets[u], exclude.offsets[u + 1]),
        ...held.items.subarray(held.offsets[u], held.offsets[u + 1]),
      ]);
      for (const it of list) expect(forbidden.has(it)).toBe(false);
    }
    expect(() => sampleNegatives(numItems, { users, items }, exclude, held, { count: 199 })).toThrow(
      ConfigError,
    );
  });

  it('a constant scorer gets HR 0 and AUC 0.5 (chance) in sampled mode', async () => {
    const constant: Scorer = { score: (u) => new Float32Array(u.length).fill(3) };
    // With 2 negatives the positive is always at 0-based rank 2: a miss at K = 2 (a hit at K = 3 is only
    // because every candidate fits in the top 3).
    const r = await evaluate(constant, data, { protocol: 'sampled', k: [2, 3], sampled: { negatives: 2 } });
    expect(r.metrics['hr@2']).toBe(0);
    expect(r.metrics['hr@3']).toBe(1);
    expect(r.metrics.auc).toBe(0.5);
    expect(r.negatives).toMatch(/seeded uniform, 2 per positive \(seed 42\)/);
  });
});

describe('rating and seed-parity protocols', () => {
  it('RMSE and MAE of the predictions, per row', async () => {
    const predictions: Scorer = {
      score: (_u, items) => Float32Array.from(items, (i) => [3, 0, 5, 0, 0, 4][i] as number),
    };
    // rows (0,2) 5 vs 4; (1,0) 3 vs 2; (1,5) 4 vs 5 → errors 1, 1, −1
    const r = await evaluate(predictions, data, { protocol: 'rating' });
    expect(r.metrics.rmse).toBeCloseTo(1, 12);
    expect(r.metrics.mae).toBeCloseTo(1, 12);
    const clipped = await evaluate(predictions, data, { protocol: 'rating', rating: { clip: [1, 4] } });
    // clipped to 4, 3, 4 → errors 0, 1, −1
    expect(clipped.metrics.rmse).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(clipped.k).toEqual([]);
  });

  it('seed parity: NDCG and min-max adjusted NDCG over each user’s own rated items', async () => {
    const parity: EvalData = {
      name: 'parity',
      numUsers: 3,
      numItems: 4,
      test: {
        users: Int32Array.from([0, 0, 0, 1, 1, 2]),
        items: Int32Array.from([0, 1, 2, 0, 3, 1]),
        ratings: Float32Array.from([5, 3, 1, 4, 4, 2]),
      },
    };
    const scores = [
      [0.1, 0.9, 0.5, 0],
      [0.2, 0, 0, 0.8],
      [0, 1, 0, 0],
    ];
    const r = await evaluate(matrixScorer(scores), parity, { protocol: 'seed-parity', k: 3 });
    // u0 order: item 1 (3), item 2 (1), item 0 (5) → gains [3, 1, 5]
    const d = 3 + 1 / L2(3) + 5 / 2;
    const ideal = 5 + 3 / L2(3) + 1 / 2;
    const worst = 1 + 3 / L2(3) + 5 / 2;
    // u1: two items rated 4: NDCG 1, no adjusted value. u2: one item → skipped (minItems 2).
    expect(r.users).toBe(2);
    expect(r.metrics['ndcg@3']).toBeCloseTo((d / ideal + 1) / 2, 12);
    expect(r.metrics['adjusted-ndcg@3']).toBeCloseTo((d - worst) / (ideal - worst), 12);
    expect(r.notes).toContain('1 users with fewer than 2 held-out items skipped');
    expect(r.notes).toContain('1 users with all-equal ratings have no adjusted NDCG');
  });
});

describe('evaluate: errors, progress and abort', () => {
  it('rejects bad options and bad model output with typed errors', async () => {
    await expect(evaluate(matrixScorer(S), data, { k: 0 })).rejects.toThrow(ConfigError);
    await expect(evaluate(matrixScorer(S), data, { protocol: 'nope' as 'full' })).rejects.toThrow(
      /unknown protocol 'nope'/,
    );
    const short: Scorer = { score: () => new Float32Array(0), scoreAll: () => new Float32Array(3) };
    await expect(evaluate(short, data)).rejects.toThrow(/returned 3 scores for 2 users × 6 items/);
    const nan: Scorer = { score: (u) => new Float32Array(u.length).fill(Number.NaN) };
    await expect(evaluate(nan, data, { protocol: 'sampled', sampled: { negatives: 2 } })).rejects.toThrow(
      DataError,
    );
    const bad = { ...data, test: { users: Int32Array.from([7]), items: Int32Array.from([0]) } };
    await expect(evaluate(matrixScorer(S), bad)).rejects.toThrow(/test row 0: \(user 7, item 0\)/);
    const badMask = { ...data, exclude: { offsets: Int32Array.from([0, 1]), items: Int32Array.from([0]) } };
    await expect(evaluate(matrixScorer(S), badMask)).rejects.toThrow(/exclude: expected 4 offsets/);
    const outOfRange = {
      ...data,
      exclude: { offsets: Int32Array.from([0, 1, 1, 1]), items: Int32Array.from([6]) },
    };
    await expect(evaluate(matrixScorer(S), outOfRange)).rejects.toThrow(
      /exclude: entry 0 has item 6 outside \[0, 6\)/,
    );
    const noRatings = { ...data, test: { users: data.test.users, items: data.test.items } };
    await expect(evaluate(matrixScorer(S), noRatings, { protocol: 'rating' })).rejects.toThrow(
      /needs held-out ratings/,
    );
  });

  it('reports progress after every batch and stops on abort', async () => {
    const seen: number[] = [];
    await evaluate(matrixScorer(S), data, { batchSize: 1, onProgress: (p) => seen.push(p.done) });
    expect(seen).toEqual([1, 2]);
    const controller = new AbortController();
    const calls: number[] = [];
    await expect(
      evaluate(matrixScorer(S), data, {
        batchSize: 1,
        signal: controller.signal,
        onProgress: (p) => {
          calls.push(p.done);
          controller.abort();
        },
      }),
    ).rejects.toThrow(AbortError);
    expect(calls).toEqual([1]);
  });
});
