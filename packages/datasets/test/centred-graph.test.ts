import { describe, expect, it } from 'vitest';
import { DataError } from '@ncf/core/base';
import { centredGraph, interactionsFromArrays } from '../src/index.js';

// u0 rates i0 5, i1 1; u1 rates i1 4 twice (last: 2), i2 3. Midpoint 3.
const data = interactionsFromArrays(
  {
    users: Int32Array.from([0, 0, 1, 1, 1]),
    items: Int32Array.from([0, 1, 1, 2, 1]),
    ratings: Float32Array.from([5, 1, 4, 3, 2]),
  },
  { numUsers: 3, numItems: 4 },
);

describe('centredGraph', () => {
  it('weights u→i by the user-centred and i→u by the item-centred rating, both shrunk to the midpoint', () => {
    const g = centredGraph(data);
    // user means: u0 (5+1)/2 = 3, u1 (2+3)/2 = 2.5; item means: i0 5, i1 (1+2)/2 = 1.5, i2 3.
    expect([g.numRows, g.numCols, g.normalization]).toEqual([7, 7, 'none']);
    expect(Array.from(g.offsets)).toEqual([0, 2, 4, 4, 5, 7, 8, 8]);
    expect(Array.from(g.indices)).toEqual([3, 4, 4, 5, 0, 0, 1, 1]);
    const want = [
      5 - (5 + 3) / 2, // u0 row: i0 → u0, item-centred
      1 - (1.5 + 3) / 2, // i1 → u0
      2 - (1.5 + 3) / 2, // i1 → u1 (the last of the repeated pair)
      3 - (3 + 3) / 2, // i2 → u1
      5 - (3 + 3) / 2, // i0 row: u0 → i0, user-centred
      1 - (3 + 3) / 2, // i1 row: u0 → i1
      2 - (2.5 + 3) / 2, // u1 → i1
      3 - (2.5 + 3) / 2, // i2 row: u1 → i2
    ];
    Array.from(g.values).forEach((w, k) => expect(w).toBeCloseTo(want[k]!, 6));
    // user 2 and item 3 are isolated: empty rows, no NaN.
    expect(g.offsets[3]! - g.offsets[2]!).toBe(0);
    expect(g.values.every(Number.isFinite)).toBe(true);
  });

  it('takes the midpoint from options and weights implicit data 1', () => {
    const g = centredGraph(data, { midpoint: 2.5 });
    expect(g.values[0]).toBeCloseTo(5 - (5 + 2.5) / 2, 6);
    const implicit = interactionsFromArrays(
      { users: Int32Array.from([0, 1]), items: Int32Array.from([1, 0]) },
      { numUsers: 2, numItems: 2 },
    );
    expect(Array.from(centredGraph(implicit).values)).toEqual([1, 1, 1, 1]);
    expect(() => centredGraph(data, { midpoint: Number.NaN })).toThrow(DataError);
  });
});
