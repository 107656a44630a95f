import {
  HistoryScoringUnsupportedError,
  initBackend,
  recommendForHistory,
  scoreNewUser,
  scoreWithItemFactors,
  tf,
} from '@ncf/core';
import type { ItemFactors, Recommender } from '@ncf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gmfFactory, mfFactory, neumfFactory } from '../src/index.js';
import type { GmfModel, MfModel } from '../src/index.js';
import { pairwiseBatch, pointwiseBatch, toyData, train } from './helpers.js';

/**
 * Fold-in on trained MF/GMF: the ItemFactors contract (the model's own user vector scored through them equals
 * scoreAll), and a user folded in from a trained user's training items ranks like that user.
 */

const data = toyData(24, 30, 6, 1);
const { numItems } = data.info;
const half = numItems / 2;

function rowOf(values: Float32Array, row: number, dim: number): Float32Array {
  return values.slice(row * dim, (row + 1) * dim);
}

function historyOf(user: number, explicit: boolean): { items: Int32Array; values: Float32Array } {
  const rows = [...data.users.keys()].filter((r) => data.users[r] === user);
  return {
    items: Int32Array.from(rows, (r) => data.items[r]!),
    values: Float32Array.from(rows, (r) => (explicit ? data.ratings[r]! : 1)),
  };
}

/** Spearman rank correlation of two score vectors (no ties expected in float scores). */
function spearman(a: Float32Array, b: Float32Array): number {
  const rank = (x: Float32Array): Float64Array => {
    const order = Array.from(x.keys()).sort((i, j) => x[i]! - x[j]!);
    const r = new Float64Array(x.length);
    order.forEach((i, k) => (r[i] = k));
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const n = a.length;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (ra[i]! - rb[i]!) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

function unseenBest(scores: Float32Array, seen: Int32Array, k: number): number[] {
  const s = new Set(seen);
  return Array.from(scores.keys())
    .filter((i) => !s.has(i))
    .sort((i, j) => scores[j]! - scores[i]!)
    .slice(0, k);
}

function checkContract(
  model: Recommender,
  factors: ItemFactors,
  userVector: (u: number) => Float32Array,
  userBias: (u: number) => number,
): void {
  for (const u of [0, 5, 13, 23]) {
    const own = model.scoreAll!(Int32Array.of(u));
    const via = scoreWithItemFactors(factors, { vector: userVector(u), bias: userBias(u) });
    for (let i = 0; i < numItems; i++) expect(via[i]).toBeCloseTo(own[i]!, 5);
  }
}

/**
 * A folded-in user ranks like the trained user `u` whose training items it was given: Spearman over every
 * item above 0.75, at least 6 of the trained user's 9 best unseen items among the fold-in's 9 best, and the
 * fold-in's 5 best unseen items all in the user's cluster. A random vector gets ~3 of 9 and a sign error 0.
 */
function expectRanksLike(scores: Float32Array, own: Float32Array, u: number, seen: Int32Array): void {
  const k = half - seen.length;
  const best = unseenBest(scores, seen, k);
  const ownBest = new Set(unseenBest(own, seen, k));
  const overlap = best.filter((i) => ownBest.has(i)).length;
  const rho = spearman(scores, own);
  const cluster = u < data.info.numUsers / 2 ? 0 : half;
  expect(rho).toBeGreaterThan(0.75);
  expect(overlap).toBeGreaterThanOrEqual(6);
  expect(best.slice(0, 5).every((i) => i >= cluster && i < cluster + half)).toBe(true);
}

let before = 0;
beforeAll(async () => {
  await initBackend('cpu');
  before = tf.memory().numTensors;
});
afterAll(() => {
  expect(tf.memory().numTensors).toBe(before);
});

describe('MF itemFactors and fold-in', () => {
  it('bce: the contract holds, and a folded-in user ranks like the trained one', () => {
    const m = mfFactory.create(data.info, { factors: 4, initStd: 0.1 }, { seed: 2 }) as MfModel;
    train(m, (s) => pointwiseBatch(data, 4, s), 120, { learningRate: 0.05 });
    const f = m.itemFactors();
    expect(f).toMatchObject({ dim: 4, userBias: true, output: 'logit' });
    const p = m.userEmbedding.variable.dataSync() as Float32Array;
    const bu = m.userBias!.variable.dataSync() as Float32Array;
    checkContract(
      m,
      f,
      (u) => rowOf(p, u, 4),
      (u) => bu[u]!,
    );
    for (const u of [0, 17]) {
      const h = historyOf(u, false);
      const { scores, strategy } = scoreNewUser(m, h);
      expect(strategy).toBe('fold-in');
      expectRanksLike(scores, m.scoreAll!(Int32Array.of(u)), u, h.items);
    }
    // Through the one public door: (item, rating?) pairs with external ids (dense here: no id maps).
    const r = recommendForHistory(
      m,
      Array.from(historyOf(0, false).items, (item) => ({ item })),
      { k: 5 },
    );
    expect(r.strategy).toBe('fold-in');
    expect(r.items.every((i) => (i as number) < half)).toBe(true);
    m.dispose();
  });

  it('mse: rating fold-in predicts on the model’s scale, close to the trained user’s own predictions', () => {
    const m = mfFactory.create(data.info, { factors: 4, initStd: 0.1, loss: 'mse' }, { seed: 2 }) as MfModel;
    train(m, () => pointwiseBatch(data, 0, 0, true), 150, { learningRate: 0.05 });
    const f = m.itemFactors();
    expect(f).toMatchObject({ output: 'rating', userBias: true });
    const p = m.userEmbedding.variable.dataSync() as Float32Array;
    const bu = m.userBias!.variable.dataSync() as Float32Array;
    checkContract(
      m,
      f,
      (u) => rowOf(p, u, 4),
      (u) => bu[u]!,
    );
    for (const u of [3, 20]) {
      const h = historyOf(u, true);
      const { scores } = scoreNewUser(m, h);
      const own = m.score(new Int32Array(h.items.length).fill(u), h.items);
      let err = 0;
      let errOwn = 0;
      for (let r = 0; r < h.items.length; r++) {
        err = Math.max(err, Math.abs(scores[h.items[r]!]! - h.values[r]!));
        errOwn = Math.max(errOwn, Math.abs(own[r]! - h.values[r]!));
      }
      // the trained user fits to ~0.01; a fold-in that dropped the biases or the offset would be off by ≥ 1
      expect(err).toBeLessThan(0.1);
      expect(errOwn).toBeLessThan(0.1);
    }
    m.dispose();
  });

  it('bpr: a folded-in user ranks like the trained one', () => {
    const m = mfFactory.create(data.info, { factors: 4, initStd: 0.1, loss: 'bpr' }, { seed: 2 }) as MfModel;
    train(m, (s) => pairwiseBatch(data, s), 80, { learningRate: 0.05 });
    const h = historyOf(2, false);
    const { scores } = scoreNewUser(m, h);
    expectRanksLike(scores, m.scoreAll!(Int32Array.of(2)), 2, h.items);
    m.dispose();
  });
});

describe('GMF itemFactors and fold-in', () => {
  it('effective vectors h ⊙ q_i and the output bias reproduce scoreAll; fold-in ranks like the user', () => {
    const m = gmfFactory.create(data.info, { factors: 4, initStd: 0.1 }, { seed: 4 }) as GmfModel;
    train(m, (s) => pointwiseBatch(data, 4, s), 120, { learningRate: 0.05 });
    const f = m.itemFactors();
    expect(f).toMatchObject({ dim: 4, userBias: false, output: 'logit' });
    expect(f.bias).toBeUndefined();
    const p = m.userEmbedding.variable.dataSync() as Float32Array;
    checkContract(
      m,
      f,
      (u) => rowOf(p, u, 4),
      () => 0,
    );
    for (const u of [1, 14]) {
      const h = historyOf(u, false);
      const { scores } = scoreNewUser(m, h);
      expectRanksLike(scores, m.scoreAll!(Int32Array.of(u)), u, h.items);
    }
    m.dispose();
  });
});

describe('models without history scoring or item factors', () => {
  it('NeuMF (an MLP tower: no dot product to fold into) gives the typed error naming its kind', () => {
    const m = neumfFactory.create(data.info, {}, { seed: 1 });
    const history = { items: Int32Array.of(0, 1), values: Float32Array.of(1, 1) };
    expect(() => scoreNewUser(m, history)).toThrow(HistoryScoringUnsupportedError);
    expect(() => recommendForHistory(m, [{ item: 0 }])).toThrow(
      /'ncf\/neumf' cannot score a user given by history/,
    );
    m.dispose();
  });
});
