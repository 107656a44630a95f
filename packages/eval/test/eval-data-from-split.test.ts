import { describe, expect, it } from 'vitest';
import { ConfigError } from '@ncf/core';
import { interactionsFromArrays, leaveOneOut } from '@ncf/datasets';
import { evalDataFromSplit } from '../src/index.js';

describe('evalDataFromSplit', () => {
  // 2 users × 5 items with timestamps: leave-one-out holds out each user's latest (test) and next (valid).
  const all = interactionsFromArrays(
    {
      users: Int32Array.from([0, 0, 0, 0, 1, 1, 1]),
      items: Int32Array.from([0, 1, 2, 3, 4, 3, 2]),
      ratings: Float32Array.from([5, 4, 3, 2, 1, 2, 3]),
      timestamps: Float64Array.from([1, 2, 3, 4, 1, 2, 3]),
    },
    { numUsers: 2, numItems: 5 },
  );
  const split = leaveOneOut(all, { validation: true });

  it('evaluates test with train and validation items masked', () => {
    const d = evalDataFromSplit(split, { name: 'tiny' });
    expect(d.numUsers).toBe(2);
    expect(d.numItems).toBe(5);
    expect([...d.test.items]).toEqual([3, 2]);
    expect([...(d.test.ratings ?? [])]).toEqual([2, 3]);
    const maskedOf = (u: number): number[] =>
      [...d.exclude!.items.subarray(d.exclude!.offsets[u], d.exclude!.offsets[u + 1])].sort();
    expect(maskedOf(0)).toEqual([0, 1, 2]);
    expect(maskedOf(1)).toEqual([3, 4]);
    expect(d.excludeLabel).toBe('train+valid');
  });

  it('evaluates the validation part with train and test masked, and masks train only on request', () => {
    const v = evalDataFromSplit(split, { part: 'valid' });
    expect([...v.test.items]).toEqual([2, 3]);
    expect(v.excludeLabel).toBe('train+test');
    const t = evalDataFromSplit(split, { maskValid: false });
    expect(t.excludeLabel).toBe('train');
    expect(t.exclude!.items.length).toBe(3);
    const noValid = leaveOneOut(all);
    expect(() => evalDataFromSplit(noValid, { part: 'valid' })).toThrow(ConfigError);
  });
});
