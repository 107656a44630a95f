import { describe, expect, it } from 'vitest';
import { mean, meanPlusMinus, median, sampleStd } from '../src/stats.js';

describe('stats', () => {
  it('mean and sample std of 2, 4, 4, 4, 5, 5, 7, 9 are 5 and √(32/7)', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    expect(sampleStd(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(meanPlusMinus([0.5, 0.7])).toBe(`0.6000 ± ${Math.sqrt(0.02).toFixed(4)}`);
  });

  it('sample std is 0 below two values; mean and median of nothing are NaN', () => {
    expect(sampleStd([3])).toBe(0);
    expect(sampleStd([])).toBe(0);
    expect(mean([])).toBeNaN();
    expect(median([])).toBeNaN();
  });

  it('median takes the middle value, or the mean of the two middle values, without reordering the input', () => {
    const xs = [9, 1, 5];
    expect(median(xs)).toBe(5);
    expect(xs).toEqual([9, 1, 5]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
