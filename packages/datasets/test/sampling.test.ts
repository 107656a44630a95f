import { describe, expect, it } from 'vitest';
import { createRng, DataError } from '@ncf/core';
import {
  aliasTable,
  interactionsFromArrays,
  parseFixedNegatives,
  popularityNegativeSampler,
  resolveDuplicates,
  sampleAlias,
  seenItems,
  toImplicit,
  uniformNegativeSampler,
} from '../src/index.js';
import { randomInteractions } from './helpers.js';

describe('duplicates and implicit feedback', () => {
  const x = interactionsFromArrays({
    users: new Int32Array([0, 0, 1, 0, 1]),
    items: new Int32Array([1, 2, 1, 1, 0]),
    ratings: new Float32Array([2, 5, 3, 4, 1]),
    timestamps: new Float64Array([10, 11, 12, 9, 13]),
  });

  it('errors on duplicates by default, naming the pair', () => {
    expect(() => resolveDuplicates(x)).toThrow(/user 0 has item 1 2 times \(rows 0 and 3\)/);
  });

  it('keep-last keeps the latest by timestamp; mean averages; keep-all counts', () => {
    const last = resolveDuplicates(x, 'keep-last');
    expect(last.report).toEqual({ policy: 'keep-last', duplicatePairs: 1, removedRows: 1 });
    expect(Array.from(last.interactions.ratings!)).toEqual([2, 5, 3, 1]); // row 0 (t=10) beats row 3 (t=9)
    const mean = resolveDuplicates(x, 'mean');
    expect(Array.from(mean.interactions.ratings!)).toEqual([3, 5, 3, 1]);
    const all = resolveDuplicates(x, 'keep-all');
    expect(all.interactions.length).toBe(5);
    expect(all.report.duplicatePairs).toBe(1);
  });

  it('toImplicit thresholds after resolving duplicates and reports both', () => {
    const { interactions: y, report } = toImplicit(x, { threshold: 3, duplicates: 'mean' });
    expect(report).toEqual({
      inputRows: 5,
      positives: 3,
      belowThreshold: 1,
      duplicates: { policy: 'mean', duplicatePairs: 1, removedRows: 1 },
    });
    expect(y.ratings).toBeUndefined();
    expect(Array.from(y.items)).toEqual([1, 2, 1]);
  });
});

describe('negative samplers', () => {
  const x = randomInteractions(5, 30, 50, 800);
  const seen = seenItems(x);
  const has = (u: number, i: number): boolean => {
    for (let j = seen.offsets[u]!; j < seen.offsets[u + 1]!; j++) if (seen.indices[j] === i) return true;
    return false;
  };

  it('uniform never returns a seen item and covers every unseen item about equally', () => {
    const s = uniformNegativeSampler(x);
    const rng = createRng(1);
    const u = 3;
    const counts = new Float64Array(50);
    const draws = 40_000;
    for (let k = 0; k < draws; k++) counts[s.sample(u, rng)]! += 1;
    const free = 50 - (seen.offsets[u + 1]! - seen.offsets[u]!);
    for (let i = 0; i < 50; i++) {
      if (has(u, i)) expect(counts[i]).toBe(0);
      else expect(Math.abs(counts[i]! - draws / free)).toBeLessThan((draws / free) * 0.15);
    }
  });

  it('uniform excludes exactly for every user and fails clearly when nothing is left', () => {
    const s = uniformNegativeSampler(x);
    const users = new Int32Array(20_000).map((_, k) => k % 30);
    const out = new Int32Array(users.length);
    s.sampleMany(users, out, createRng(2));
    for (let k = 0; k < out.length; k++) {
      expect(out[k]! >= 0 && out[k]! < 50).toBe(true);
      if (has(users[k]!, out[k]!)) throw new Error(`seen item ${out[k]} sampled for user ${users[k]}`);
    }
    const full = interactionsFromArrays({ users: new Int32Array([0, 0]), items: new Int32Array([0, 1]) });
    expect(() => uniformNegativeSampler(full).sample(0, createRng(1))).toThrow(DataError);
  });

  it('alias table reproduces the weights', () => {
    const t = aliasTable([1, 0, 3, 6]);
    const rng = createRng(3);
    const c = [0, 0, 0, 0];
    for (let k = 0; k < 100_000; k++) c[sampleAlias(t, rng)]! += 1;
    expect(c[1]).toBe(0);
    expect(Math.abs(c[0]! / 1e5 - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(c[2]! / 1e5 - 0.3)).toBeLessThan(0.01);
    expect(Math.abs(c[3]! / 1e5 - 0.6)).toBeLessThan(0.01);
  });

  it('popularity sampler excludes seen items and favours popular ones', () => {
    const y = interactionsFromArrays({
      users: new Int32Array([0, 1, 2, 3, 4, 4, 5]),
      items: new Int32Array([0, 0, 0, 0, 1, 0, 2]),
    });
    const s = popularityNegativeSampler(y, { exponent: 1 });
    const rng = createRng(4);
    const c = [0, 0, 0];
    for (let k = 0; k < 30_000; k++) c[s.sample(5, rng)]! += 1;
    expect(c[2]).toBe(0); // seen by user 5
    expect(c[0]! / c[1]!).toBeGreaterThan(3.5); // weights 5 : 1
    expect(c[0]! / c[1]!).toBeLessThan(6.5);
  });
});

describe('fixed negatives (NCF test.negative)', () => {
  it('parses lines and reports duplicates and positives among negatives', () => {
    const f = parseFixedNegatives('(0,5)\t1\t2\t3\n(1,7)\t4\t4\t7\n');
    expect(Array.from(f.users)).toEqual([0, 1]);
    expect(Array.from(f.positives)).toEqual([5, 7]);
    expect(Array.from(f.offsets)).toEqual([0, 3, 6]);
    expect(Array.from(f.negatives)).toEqual([1, 2, 3, 4, 4, 7]);
    expect(f.report.linesWithDuplicates).toBe(1);
    expect(f.report.duplicateNegatives).toBe(1);
    expect(f.report.positiveAmongNegatives).toBe(1);
    expect(f.report.problems.map((p) => p.line)).toEqual([2, 2]);
  });

  it('rejects malformed lines with file and line', () => {
    expect(() => parseFixedNegatives('(0,5)\t1\n0,5\t2\n', { file: 'x.negative' })).toThrow(
      /x\.negative:2: first field '0,5' is not '\(user,item\)'/,
    );
    expect(() => parseFixedNegatives('(0,5)\tfoo\n')).toThrow(/:1: negative item 'foo' is not an integer id/);
    expect(() => parseFixedNegatives('\n')).toThrow(/empty/);
  });
});

describe('boundedInt', () => {
  it('is unbiased over a bound that does not divide 2^32 and handles bound 1 and large bounds', async () => {
    const { boundedInt } = await import('../src/index.js');
    const rng = createRng(8);
    const counts = [0, 0, 0];
    for (let k = 0; k < 90_000; k++) counts[boundedInt(rng, 3)]! += 1;
    for (const c of counts) expect(Math.abs(c - 30_000)).toBeLessThan(600);
    expect(boundedInt(rng, 1)).toBe(0);
    for (let k = 0; k < 1000; k++) {
      const v = boundedInt(rng, 3_000_001);
      expect(Number.isInteger(v) && v >= 0 && v < 3_000_001).toBe(true);
    }
  });
});
