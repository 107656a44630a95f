import { describe, expect, it } from 'vitest';
import { createRng } from '@ncf/core';
import {
  CoverageCounter,
  adjustedNdcg,
  auc,
  aucFromCounts,
  averagePrecision,
  dcg,
  gainOf,
  gradedNdcg,
  hitRate,
  itemCoverage,
  mae,
  ndcg,
  precision,
  recall,
  reciprocalRank,
  rmse,
} from '../src/index.js';

const L2 = Math.log2;

describe('ranking metrics on a worked example', () => {
  // Ranked list of 5 items; relevant at ranks 2 and 4 (1-based); the user has 3 relevant items in all.
  const rel = [0, 1, 0, 1, 0];
  const numRelevant = 3;

  it('HR@K is 1 iff a relevant item is in the top K', () => {
    expect(hitRate(rel, 1)).toBe(0);
    expect(hitRate(rel, 2)).toBe(1);
    expect(hitRate(rel, 5)).toBe(1);
    expect(hitRate([0, 0, 0], 3)).toBe(0);
  });

  it('MRR@K is 1 / rank of the first hit', () => {
    expect(reciprocalRank(rel, 1)).toBe(0);
    expect(reciprocalRank(rel, 5)).toBe(0.5);
  });

  it('Precision@K divides by K', () => {
    expect(precision(rel, 2)).toBe(0.5);
    expect(precision(rel, 5)).toBe(0.4);
    // A list shorter than K is not rewarded: 1 hit in 2 ranked items at K=4 is 1/4.
    expect(precision([1, 0], 4)).toBe(0.25);
  });

  it('Recall@K divides by the number of relevant items', () => {
    expect(recall(rel, 5, numRelevant)).toBeCloseTo(2 / 3, 15);
    expect(recall(rel, 3, numRelevant)).toBeCloseTo(1 / 3, 15);
    expect(recall(rel, 5, 0)).toBe(0);
  });

  it('MAP@K averages precision at the hits over min(|rel|, K)', () => {
    // hits at ranks 2 and 4: (1/2 + 2/4) / min(3, 5) = 1/3
    expect(averagePrecision(rel, 5, numRelevant)).toBeCloseTo(1 / 3, 15);
    // K = 2: one hit at rank 2: (1/2) / min(3, 2) = 1/4
    expect(averagePrecision(rel, 2, numRelevant)).toBeCloseTo(0.25, 15);
  });

  it('binary NDCG@K uses the ideal DCG over min(|rel|, K)', () => {
    // DCG = 1/log2(3) + 1/log2(5) = 1.0616063116...; IDCG = 1 + 1/log2(3) + 1/log2(4) = 2.1309297535...
    expect(ndcg(rel, 5, numRelevant)).toBeCloseTo(1.0616063116448506 / 2.1309297535714578, 12);
    expect(ndcg(rel, 5, numRelevant)).toBeCloseTo(0.4981891, 6);
    // K = 2: DCG = 1/log2(3); IDCG over min(3, 2) = 2 items: 1 + 1/log2(3)
    expect(ndcg(rel, 2, numRelevant)).toBeCloseTo(1 / L2(3) / (1 + 1 / L2(3)), 12);
    // One relevant item at rank 1 (0-based): 1/log2(3) (the leave-one-out case).
    expect(ndcg([0, 1], 10, 1)).toBeCloseTo(0.6309297535714575, 15);
  });

  it('graded NDCG and gains', () => {
    expect(gainOf(3)).toBe(3);
    expect(gainOf(3, 'exponential')).toBe(7);
    expect(dcg([3, 0, 2], 3)).toBe(4); // 3/1 + 0 + 2/2
    // Ideal has a third item (gain 1) that was not ranked: 3 + 2/log2(3) + 1/2 = 4.7618595071...
    expect(gradedNdcg([3, 0, 2], [3, 2, 1], 3)).toBeCloseTo(4 / 4.761859507142915, 12);
    expect(gradedNdcg([0, 0], [0, 0], 2)).toBe(0);
  });

  it('adjusted NDCG maps the worst order to 0 and the best to 1', () => {
    // gains [2,3,1]: DCG 2 + 3/log2 3 + 1/2; worst [1,2,3]: 1 + 2/log2 3 + 3/2; ideal [3,2,1]: 3 + 2/log2 3 + 1/2
    // (DCG − worst) / (ideal − worst) = (1/log2 3) / 1 = 0.6309...
    expect(adjustedNdcg([2, 3, 1], 3)).toBeCloseTo(1 / L2(3), 12);
    expect(adjustedNdcg([3, 2, 1], 3)).toBeCloseTo(1, 12);
    expect(adjustedNdcg([1, 2, 3], 3)).toBeCloseTo(0, 12);
    expect(adjustedNdcg([4, 4, 4], 3)).toBeNaN();
  });

  it('AUC counts ties as one half', () => {
    // 0.9 beats all 3 negatives; 0.4 beats 0.1, ties 0.4, loses to 0.5: (3 + 1.5) / 6
    expect(auc([0.9, 0.4], [0.5, 0.4, 0.1])).toBe(0.75);
    expect(auc([1, 1], [1, 1, 1])).toBe(0.5);
    expect(auc([], [1])).toBeNaN();
    expect(aucFromCounts(1, 1, 4)).toBe(0.375);
  });

  it('item coverage counts distinct items in the top-K lists', () => {
    const lists = Int32Array.from([0, 1, 1, 2, -1, -1]);
    expect(itemCoverage(lists, 2, 1, 5)).toBe(2 / 5);
    expect(itemCoverage(lists, 2, 2, 5)).toBe(3 / 5);
    const c = new CoverageCounter(5);
    c.add([0, 1]);
    c.add([1, 2]);
    expect(c.coverage(1)).toBe(2 / 5);
    expect(c.coverage(2)).toBe(3 / 5);
  });

  it('RMSE and MAE', () => {
    // errors 1, 0, −2: MSE 5/3, MAE 1
    expect(rmse([3, 4, 5], [2, 4, 7])).toBeCloseTo(Math.sqrt(5 / 3), 15);
    expect(mae([3, 4, 5], [2, 4, 7])).toBe(1);
    expect(rmse([], [])).toBeNaN();
    expect(() => mae([1], [1, 2])).toThrow(/equal lengths/);
  });
});

describe('ranking metric invariants', () => {
  it('a perfect ranking scores 1 on every metric (|rel| ≤ K)', () => {
    for (const nr of [1, 2, 5]) {
      const rel = Array.from({ length: 10 }, (_, r) => (r < nr ? 1 : 0));
      expect(hitRate(rel, 10)).toBe(1);
      expect(reciprocalRank(rel, 10)).toBe(1);
      expect(recall(rel, 10, nr)).toBe(1);
      expect(averagePrecision(rel, 10, nr)).toBeCloseTo(1, 15);
      expect(ndcg(rel, 10, nr)).toBeCloseTo(1, 15);
      const g = rel.map((x, r) => x * (nr - r));
      expect(gradedNdcg(g, g, 10)).toBeCloseTo(1, 15);
    }
  });

  it('every metric stays within [0, 1] on random lists', () => {
    const rng = createRng(3);
    for (let t = 0; t < 500; t++) {
      const n = 1 + rng.int(20);
      const rel = Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0) as number);
      const hits = rel.reduce((a: number, b) => a + b, 0);
      const nr = hits + rng.int(4);
      const k = 1 + rng.int(25);
      for (const v of [
        hitRate(rel, k),
        reciprocalRank(rel, k),
        precision(rel, k),
        recall(rel, k, nr),
        averagePrecision(rel, k, nr),
        ndcg(rel, k, nr),
      ]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1 + 1e-12);
      }
      const gains = rel.map((x) => x * (1 + rng.int(5)));
      const a = adjustedNdcg(gains, k);
      if (!Number.isNaN(a)) {
        expect(a).toBeGreaterThanOrEqual(-1e-12);
        expect(a).toBeLessThanOrEqual(1 + 1e-12);
      }
    }
  });

  it('metrics at K ignore everything ranked below K', () => {
    const a = [0, 1, 0, 1, 1, 1];
    const b = [0, 1, 0, 0, 0, 0];
    for (const f of [hitRate, reciprocalRank, precision]) expect(f(a, 3)).toBe(f(b, 3));
    expect(ndcg(a, 3, 4)).toBe(ndcg(b, 3, 4));
    expect(recall(a, 3, 4)).toBe(recall(b, 3, 4));
  });
});
