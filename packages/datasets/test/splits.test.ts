import { describe, expect, it } from 'vitest';
import type { Interactions, Split } from '../src/index.js';
import {
  interactionsFromArrays,
  leaveOneOut,
  perUserSplit,
  randomSplit,
  temporalSplit,
  userDisjointSplit,
  userDegrees,
} from '../src/index.js';
import { randomInteractions } from './helpers.js';

/** Nothing lost or duplicated, and each part holds exactly its source rows. */
function checkPartition(x: Interactions, s: Split): void {
  const parts = [s.trainRows, s.testRows, ...(s.validRows ? [s.validRows] : [])];
  const seen = new Uint8Array(x.length);
  for (const rows of parts) for (const r of rows) seen[r] = (seen[r] ?? 0) + 1;
  expect(seen.every((c) => c === 1)).toBe(true);
  const check = (part: Interactions, rows: Int32Array): void => {
    expect(part.length).toBe(rows.length);
    rows.forEach((r, j) => {
      expect(part.users[j]).toBe(x.users[r]);
      expect(part.items[j]).toBe(x.items[r]);
      expect(part.ratings?.[j]).toBe(x.ratings?.[r]);
    });
    expect(part.userIds).toBe(x.userIds);
  };
  check(s.train, s.trainRows);
  check(s.test, s.testRows);
  if (s.valid && s.validRows) check(s.valid, s.validRows);
}

const seeds = [1, 2, 3];

describe('splits', () => {
  for (const seed of seeds) {
    const x = randomInteractions(seed, 40, 60, 1500);

    it(`randomSplit partitions with the requested sizes and is deterministic (seed ${seed})`, () => {
      const s = randomSplit(x, { testRatio: 0.2, validRatio: 0.1, seed });
      checkPartition(x, s);
      expect(s.testRows.length).toBe(300);
      expect(s.validRows?.length).toBe(150);
      expect(Array.from(randomSplit(x, { testRatio: 0.2, validRatio: 0.1, seed }).testRows)).toEqual(
        Array.from(s.testRows),
      );
      expect(Array.from(randomSplit(x, { testRatio: 0.2, seed: seed + 100 }).testRows)).not.toEqual(
        Array.from(s.testRows),
      );
    });

    it(`perUserSplit gives each user round(ratio·d) test rows and keeps minTrain (seed ${seed})`, () => {
      const s = perUserSplit(x, { testRatio: 0.3, minTrain: 2, seed });
      checkPartition(x, s);
      const d = userDegrees(x);
      const dt = userDegrees(s.test);
      const dtr = userDegrees(s.train);
      for (let u = 0; u < x.numUsers; u++) {
        expect(dt[u]).toBe(Math.max(0, Math.min(Math.round(0.3 * d[u]!), d[u]! - 2)));
        expect(dtr[u]).toBeGreaterThanOrEqual(Math.min(2, d[u]!));
      }
    });

    it(`leaveOneOut by timestamp holds out each user's latest interaction (seed ${seed})`, () => {
      const s = leaveOneOut(x, { validation: true });
      checkPartition(x, s);
      const d = userDegrees(x);
      const perUserTest = userDegrees(s.test);
      const perUserValid = userDegrees(s.valid!);
      for (let u = 0; u < x.numUsers; u++) {
        expect(perUserTest[u]).toBe(d[u]! >= 3 ? 1 : 0);
        expect(perUserValid[u]).toBe(d[u]! >= 3 ? 1 : 0);
      }
      // no train (or valid) interaction of a user is later than its test interaction
      const testTime = new Float64Array(x.numUsers).fill(Infinity);
      for (let j = 0; j < s.test.length; j++) testTime[s.test.users[j]!] = s.test.timestamps![j]!;
      for (let j = 0; j < s.train.length; j++)
        expect(s.train.timestamps![j]!).toBeLessThanOrEqual(testTime[s.train.users[j]!]!);
      for (let j = 0; j < s.valid!.length; j++)
        expect(s.valid!.timestamps![j]!).toBeLessThanOrEqual(testTime[s.valid!.users[j]!]!);
    });

    it(`leaveOneOut random gives one test row per user with ≥ 2 interactions (seed ${seed})`, () => {
      const s = leaveOneOut(x, { by: 'random', seed });
      checkPartition(x, s);
      const d = userDegrees(x);
      const t = userDegrees(s.test);
      for (let u = 0; u < x.numUsers; u++) expect(t[u]).toBe(d[u]! >= 2 ? 1 : 0);
    });

    it(`temporalSplit puts no test interaction before a train one (seed ${seed})`, () => {
      const s = temporalSplit(x, { testRatio: 0.25 });
      checkPartition(x, s);
      const maxTrain = Math.max(...s.train.timestamps!);
      const minTest = Math.min(...s.test.timestamps!);
      expect(maxTrain).toBeLessThan(minTest);
      expect(s.test.length).toBeGreaterThanOrEqual(375);
      expect(s.test.length).toBeLessThan(375 + 10);
    });

    it(`userDisjointSplit shares no user between parts (seed ${seed})`, () => {
      const s = userDisjointSplit(x, { testRatio: 0.25, seed });
      checkPartition(x, s);
      const trainUsers = new Set(s.train.users);
      const testUsers = new Set(s.test.users);
      for (const u of testUsers) expect(trainUsers.has(u)).toBe(false);
      expect(testUsers.size).toBe(10);
    });
  }

  it('leaveOneOut breaks timestamp ties by the later row and skips small users', () => {
    // user 0: rows 0,1,2 with a tie at the latest time → row 2; user 1: one row → stays in train
    const y = interactionsFromArrays({
      users: new Int32Array([0, 0, 0, 1]),
      items: new Int32Array([0, 1, 2, 3]),
      timestamps: new Float64Array([5, 9, 9, 1]),
    });
    const s = leaveOneOut(y);
    expect(Array.from(s.testRows)).toEqual([2]);
    expect(Array.from(s.trainRows)).toEqual([0, 1, 3]);
    expect(() => leaveOneOut(y, { by: 'timestamp', minInteractions: 0 })).toThrow(/minInteractions/);
  });
});
