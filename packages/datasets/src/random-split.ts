import { ConfigError, createRng, shuffleInPlace } from '@ncf/core/base';
import type { Interactions } from './interactions.js';
import type { Split } from './split.js';
import { splitByLabel } from './split.js';

/** Options of {@link randomSplit}. */
export interface RandomSplitOptions {
  /** Fraction of all interactions in the test part. Default 0.2. */
  readonly testRatio?: number;
  /** Fraction of all interactions in a validation part. Default 0 (none). */
  readonly validRatio?: number;
  readonly seed?: number;
}

/** Defaults of {@link RandomSplitOptions}. */
export const RANDOM_SPLIT_DEFAULTS = { testRatio: 0.2, validRatio: 0, seed: 42 } as const;

/** Checks a ratio option. */
export function checkRatio(value: number, field: string, allowZero = true): void {
  if (!Number.isFinite(value) || value < 0 || value >= 1 || (!allowZero && value === 0)) {
    throw new ConfigError(`${field} must be in ${allowZero ? '[0' : '(0'}, 1), got ${value}`, field);
  }
}

/**
 * Global random split: a seeded permutation of all rows, the first `round(testRatio·n)` go to test and the
 * next `round(validRatio·n)` to validation. Users may end up only in test (use {@link perUserSplit} to avoid).
 */
export function randomSplit(interactions: Interactions, options: RandomSplitOptions = {}): Split {
  const o = { ...RANDOM_SPLIT_DEFAULTS, ...options };
  checkRatio(o.testRatio, 'testRatio');
  checkRatio(o.validRatio, 'validRatio');
  if (o.testRatio + o.validRatio >= 1)
    throw new ConfigError('testRatio + validRatio must be < 1', 'testRatio');
  const n = interactions.length;
  const perm = new Int32Array(n);
  for (let k = 0; k < n; k++) perm[k] = k;
  shuffleInPlace(perm, createRng(o.seed));
  const nTest = Math.round(o.testRatio * n);
  const nValid = Math.round(o.validRatio * n);
  const label = new Uint8Array(n);
  for (let j = 0; j < nTest; j++) label[perm[j]!] = 1;
  for (let j = nTest; j < nTest + nValid; j++) label[perm[j]!] = 2;
  return splitByLabel(interactions, label, o.validRatio > 0);
}
