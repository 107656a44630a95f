import { createRng, shuffleInPlace } from '@ncf/core/base';
import type { Interactions } from './interactions.js';
import { checkRatio } from './random-split.js';
import type { Split } from './split.js';
import { splitByLabel } from './split.js';

/** Options of {@link userDisjointSplit}. */
export interface UserDisjointSplitOptions {
  /** Fraction of users (with interactions) whose interactions all go to test. Default 0.2. */
  readonly testRatio?: number;
  readonly seed?: number;
}

/** Defaults of {@link UserDisjointSplitOptions}. */
export const USER_DISJOINT_SPLIT_DEFAULTS = { testRatio: 0.2, seed: 42 } as const;

/**
 * User-disjoint split for cold-start evaluation: a seeded `round(testRatio·U)` of the users that have
 * interactions are test users; all their interactions are test, all others' train. No user is in both parts.
 */
export function userDisjointSplit(interactions: Interactions, options: UserDisjointSplitOptions = {}): Split {
  const o = { ...USER_DISJOINT_SPLIT_DEFAULTS, ...options };
  checkRatio(o.testRatio, 'testRatio');
  const seen = new Uint8Array(interactions.numUsers);
  for (let k = 0; k < interactions.length; k++) seen[interactions.users[k]!] = 1;
  const active: number[] = [];
  for (let u = 0; u < seen.length; u++) if (seen[u]) active.push(u);
  const perm = Int32Array.from(active);
  shuffleInPlace(perm, createRng(o.seed));
  const isTest = new Uint8Array(interactions.numUsers);
  const nTest = Math.round(o.testRatio * perm.length);
  for (let j = 0; j < nTest; j++) isTest[perm[j]!] = 1;
  const label = new Uint8Array(interactions.length);
  for (let k = 0; k < interactions.length; k++) label[k] = isTest[interactions.users[k]!]!;
  return splitByLabel(interactions, label, false);
}
