import { ConfigError, createRng } from '@ncf/core/base';
import type { Interactions } from './interactions.js';
import { checkRatio } from './random-split.js';
import type { Split } from './split.js';
import { rowsByUser, splitByLabel } from './split.js';

/** Options of {@link perUserSplit}. */
export interface PerUserSplitOptions {
  /** Fraction of each user's interactions in test. Default 0.2. */
  readonly testRatio?: number;
  /** Interactions each user keeps in train at least. Default 1. */
  readonly minTrain?: number;
  readonly seed?: number;
}

/** Defaults of {@link PerUserSplitOptions}. */
export const PER_USER_SPLIT_DEFAULTS = { testRatio: 0.2, minTrain: 1, seed: 42 } as const;

/**
 * Per-user random split: each user with `d` interactions puts `min(round(testRatio·d), d − minTrain)`
 * (never below 0) randomly chosen ones in test, the rest in train. Every user with `d > minTrain` therefore
 * appears in train; a user's test share is as close to `testRatio` as rounding allows.
 */
export function perUserSplit(interactions: Interactions, options: PerUserSplitOptions = {}): Split {
  const o = { ...PER_USER_SPLIT_DEFAULTS, ...options };
  checkRatio(o.testRatio, 'testRatio');
  if (!Number.isInteger(o.minTrain) || o.minTrain < 0)
    throw new ConfigError(`minTrain must be an integer ≥ 0`, 'minTrain');
  const rng = createRng(o.seed);
  const { offsets, rows } = rowsByUser(interactions);
  const label = new Uint8Array(interactions.length);
  for (let u = 0; u < interactions.numUsers; u++) {
    const a = offsets[u]!;
    const d = offsets[u + 1]! - a;
    const nTest = Math.max(0, Math.min(Math.round(o.testRatio * d), d - o.minTrain));
    // partial Fisher–Yates: the first nTest positions become a uniform random subset
    for (let j = 0; j < nTest; j++) {
      const r = j + rng.int(d - j);
      const tmp = rows[a + j]!;
      rows[a + j] = rows[a + r]!;
      rows[a + r] = tmp;
      label[rows[a + j]!] = 1;
    }
  }
  return splitByLabel(interactions, label, false);
}
