import { describe, expect, it } from 'vitest';
import { DataError, createRng } from '@ncf/core';
import { MARK_EXCLUDED, MARK_RELEVANT, createTopKWorkspace, selectTopK, topK } from '../src/base.js';

/** The reference order: a full sort by (score desc, non-relevant first, item id). */
function bruteForce(scores: Float32Array, marks: Uint8Array, k: number): number[] {
  const cand = [...Array(scores.length).keys()].filter((j) => marks[j] !== MARK_EXCLUDED);
  const rel = (j: number): number => (marks[j] === MARK_RELEVANT ? 1 : 0);
  cand.sort((a, b) => (scores[b] as number) - (scores[a] as number) || rel(a) - rel(b) || a - b);
  return cand.slice(0, k);
}

describe('selectTopK', () => {
  it('orders by score, then non-relevant before relevant, then item id', () => {
    const scores = Float32Array.from([0.5, 0.9, 0.5, 0.5, 0.1, 0.9]);
    const marks = Uint8Array.from([MARK_RELEVANT, 0, 0, MARK_EXCLUDED, 0, MARK_RELEVANT]);
    const ws = createTopKWorkspace(4);
    const n = selectTopK(scores, 0, 6, marks, 4, ws);
    expect(n).toBe(4);
    // 0.9: item 1 (non-relevant) before item 5 (relevant); 0.5: item 2 (non-relevant) before item 0; item 3 masked.
    expect([...ws.items]).toEqual([1, 5, 2, 0]);
    expect([...ws.relevant]).toEqual([0, 1, 0, 1]);
    expect([...ws.scores]).toEqual([0.8999999761581421, 0.8999999761581421, 0.5, 0.5]);
  });

  it('returns fewer than K when fewer items are unmasked, and reads only its row', () => {
    const scores = Float32Array.from([9, 9, 9, 0.2, 0.7, 0.1, 9]);
    const marks = Uint8Array.from([0, MARK_EXCLUDED, 0, 0]);
    const ws = createTopKWorkspace(5);
    expect(selectTopK(scores, 3, 3, marks, 5, ws)).toBe(2);
    expect([...ws.items.subarray(0, 2)]).toEqual([0, 2]);
    expect(selectTopK(scores, 3, 3, marks, 0, ws)).toBe(0);
  });

  it('equals a full sort on 3000 random rows with many ties (seeded)', () => {
    const rng = createRng(11);
    for (let t = 0; t < 3000; t++) {
      const n = 1 + rng.int(60);
      const k = 1 + rng.int(15);
      const levels = 1 + rng.int(6);
      const scores = Float32Array.from({ length: n }, () => rng.int(levels));
      const marks = Uint8Array.from(
        { length: n },
        () => [0, 0, 0, MARK_EXCLUDED, MARK_RELEVANT][rng.int(5)] as number,
      );
      const ws = createTopKWorkspace(k);
      const c = selectTopK(scores, 0, n, marks, k, ws);
      expect([...ws.items.subarray(0, c)]).toEqual(bruteForce(scores, marks, k));
    }
  });

  it('throws DataError on a NaN score of an unmasked item, but not of a masked one', () => {
    const ws = createTopKWorkspace(2);
    expect(() => selectTopK(Float32Array.from([1, Number.NaN, 0]), 0, 3, new Uint8Array(3), 2, ws)).toThrow(
      DataError,
    );
    const masked = Uint8Array.from([0, MARK_EXCLUDED, 0]);
    expect(selectTopK(Float32Array.from([1, Number.NaN, 0]), 0, 3, masked, 2, ws)).toBe(2);
  });
});

describe('topK', () => {
  it('returns the best indices first, ties by lower index, skipping -Infinity and NaN', () => {
    const s = Float32Array.of(0.5, 2, -Infinity, 2, NaN, 1, 0.5);
    expect(Array.from(topK(s, 3))).toEqual([1, 3, 5]);
    expect(Array.from(topK(s, 5))).toEqual([1, 3, 5, 0, 6]);
    expect(Array.from(topK(s, 10))).toEqual([1, 3, 5, 0, 6]);
    expect(Array.from(topK(Float32Array.of(-Infinity), 2))).toEqual([]);
    expect(Array.from(topK(s, 0))).toEqual([]);
  });
});
