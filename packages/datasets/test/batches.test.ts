import { describe, expect, it } from 'vitest';
import { createRng } from '@ncf/core';
import type { Batch } from '@ncf/core';
import {
  centredRatings,
  interactionsFromArrays,
  pairwiseSource,
  pointwiseSource,
  seenItems,
  userHistorySource,
  userProfiles,
} from '../src/index.js';
import { randomInteractions } from './helpers.js';

function collect<B extends Batch>(it: Iterable<B>): B[] {
  return Array.from(it);
}

describe('pointwise source', () => {
  const x = randomInteractions(11, 20, 40, 300);
  const implicit = interactionsFromArrays({ users: x.users, items: x.items }, { numUsers: 20, numItems: 40 });

  it('yields every positive once plus n unseen negatives per positive, per epoch', () => {
    const src = pointwiseSource(implicit, { negatives: 3 });
    expect(src.kind).toBe('pointwise');
    expect(src.size).toBe(1200);
    const batches = collect(src.batches(128, createRng(1)));
    expect(batches.map((b) => b.users.length)).toEqual([...Array(9).fill(128), 1200 - 9 * 128]);
    const seen = seenItems(implicit);
    const has = (u: number, i: number): boolean => {
      for (let j = seen.offsets[u]!; j < seen.offsets[u + 1]!; j++) if (seen.indices[j] === i) return true;
      return false;
    };
    let pos = 0;
    let neg = 0;
    const posCount = new Map<string, number>();
    for (const b of batches) {
      for (let k = 0; k < b.users.length; k++) {
        if (b.labels[k] === 1) {
          pos++;
          const key = `${b.users[k]},${b.items[k]}`;
          posCount.set(key, (posCount.get(key) ?? 0) + 1);
        } else {
          expect(b.labels[k]).toBe(0);
          expect(has(b.users[k]!, b.items[k]!)).toBe(false);
          neg++;
        }
      }
    }
    expect(pos).toBe(300);
    expect(neg).toBe(900);
    const expected = new Map<string, number>();
    for (let k = 0; k < 300; k++) {
      const key = `${implicit.users[k]},${implicit.items[k]}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(posCount).toEqual(expected);
  });

  it('is deterministic for a seed and differs between epochs', () => {
    const src = pointwiseSource(implicit, { negatives: 2 });
    const a = collect(src.batches(1000, createRng(5)))[0]!;
    const b = collect(src.batches(1000, createRng(5)))[0]!;
    expect(Array.from(a.items)).toEqual(Array.from(b.items));
    const rng = createRng(5);
    const e1 = collect(src.batches(1000, rng))[0]!;
    const e2 = collect(src.batches(1000, rng))[0]!;
    expect(Array.from(e1.items)).not.toEqual(Array.from(e2.items));
  });

  it('uses ratings as labels for explicit data without negatives', () => {
    const src = pointwiseSource(x);
    expect(src.size).toBe(300);
    const [b] = collect(src.batches(1000, createRng(1)));
    const sum = (a: Float32Array): number => a.reduce((s, v) => s + v, 0);
    expect(sum(b!.labels)).toBe(sum(x.ratings!));
    expect(() => pointwiseSource(implicit, { labels: 'rating' })).toThrow(/needs interactions with ratings/);
    expect(() => collect(pointwiseSource(implicit).batches(0, createRng(1)))).toThrow(/batchSize/);
  });
});

describe('pairwise source', () => {
  it('yield each interaction once with an unseen negative', () => {
    const x = randomInteractions(12, 10, 30, 200);
    const seen = seenItems(x);
    for (const src of [pairwiseSource(x)]) {
      const batches = collect(src.batches(64, createRng(2)));
      expect(batches[0]!.kind).toBe(src.kind);
      const total = batches.reduce((s, b) => s + b.users.length, 0);
      expect(total).toBe(200);
      for (const b of batches) {
        for (let k = 0; k < b.users.length; k++) {
          const u = b.users[k]!;
          const items = seen.indices.subarray(seen.offsets[u], seen.offsets[u + 1]);
          expect(items.includes(b.positives[k]!)).toBe(true);
          expect(items.includes(b.negatives[k]!)).toBe(false);
        }
      }
    }
  });
});

describe('user-history source and content profiles', () => {
  // user 0 rated items 0 (5) and 1 (1); user 1 rated item 1 (4)
  const x = interactionsFromArrays({
    users: new Int32Array([0, 0, 1]),
    items: new Int32Array([0, 1, 1]),
    ratings: new Float32Array([5, 1, 4]),
  });

  it('centres ratings on a user mean shrunk toward the midpoint', () => {
    // range [1,5] → mid 3; k = 2: user 0 mean (6 + 6)/4 = 3, user 1 mean (4 + 6)/3 = 10/3
    const c = centredRatings(x, { shrinkage: 2 });
    expect(c[0]).toBeCloseTo(2, 6);
    expect(c[1]).toBeCloseTo(-2, 6);
    expect(c[2]).toBeCloseTo(4 - 10 / 3, 6);
    const plain = centredRatings(x, { shrinkage: 0 });
    expect(Array.from(plain)).toEqual([2, -2, 0]);
  });

  it('user profile = mean of centred rating × item features', () => {
    const items = { names: ['a', 'b'], rows: 2, dim: 2, values: new Float32Array([1, 0, 1, 1]) };
    const p = userProfiles(x, items, { shrinkage: 0 });
    // user 0: (2·[1,0] + (−2)·[1,1]) / 2 = [0, −1]; user 1: 0·[1,1] = [0,0]
    expect(Array.from(p.values)).toEqual([0, -1, 0, 0]);
    expect(p.names).toEqual(['a', 'b']);
  });

  it('gives each example its user history with the target masked', () => {
    const src = userHistorySource(x, { centring: { shrinkage: 0 }, shuffle: false });
    const [b] = collect(src.batches(10, createRng(1)));
    expect(b!.kind).toBe('user-history');
    expect(Array.from(b!.items)).toEqual([0, 1, 1]);
    expect(Array.from(b!.offsets)).toEqual([0, 1, 2, 2]);
    expect(Array.from(b!.historyItems)).toEqual([1, 0]);
    expect(Array.from(b!.historyValues)).toEqual([-2, 2]);
    const unmasked = collect(
      userHistorySource(x, { maskTarget: false, shuffle: false }).batches(10, createRng(1)),
    )[0]!;
    expect(Array.from(unmasked.offsets)).toEqual([0, 2, 4, 5]);
  });

  it('samples negatives for implicit labels with unit history values', () => {
    const y = interactionsFromArrays(
      { users: new Int32Array([0, 1]), items: new Int32Array([0, 1]) },
      { numItems: 5 },
    );
    const src = userHistorySource(y, { negatives: 2 });
    expect(src.size).toBe(6);
    const [b] = collect(src.batches(10, createRng(3)));
    expect(b!.labels.filter((l) => l === 1).length).toBe(2);
    expect(Array.from(b!.historyValues).every((v) => v === 1)).toBe(true);
  });
});
