import { ConfigError, createRng } from '@ncf/core/base';
import type { Interactions } from './interactions.js';
import type { Split } from './split.js';
import { rowsByUser, splitByLabel } from './split.js';

/** Options of {@link leaveOneOut}. */
export interface LeaveOneOutOptions {
  /**
   * `'timestamp'`: hold out each user's latest interaction (ties: the later row). `'random'`: a seeded random
   * one. Default `'timestamp'` when timestamps exist, else `'random'`.
   */
  readonly by?: 'timestamp' | 'random';
  /** Also hold out the next-latest (or another random) interaction as validation. Default false. */
  readonly validation?: boolean;
  /** Users with fewer interactions keep them all in train. Default 2 (3 with validation). */
  readonly minInteractions?: number;
  readonly seed?: number;
}

/** Defaults of {@link LeaveOneOutOptions}. */
export const LEAVE_ONE_OUT_DEFAULTS = { validation: false, seed: 42 } as const;

/**
 * Leave-one-out as in the NCF paper (He et al., 2017, §4.1): each user's latest interaction is the test item
 * (random without timestamps); with `validation`, the next one is the validation item. Every user with at least
 * `minInteractions` interactions gets exactly one test (and one validation) interaction and keeps the rest.
 */
export function leaveOneOut(interactions: Interactions, options: LeaveOneOutOptions = {}): Split {
  const o = { ...LEAVE_ONE_OUT_DEFAULTS, ...options };
  const by = o.by ?? (interactions.timestamps ? 'timestamp' : 'random');
  const ts = interactions.timestamps;
  if (by === 'timestamp' && !ts) {
    throw new ConfigError("leaveOneOut by 'timestamp' needs timestamps; these interactions have none", 'by');
  }
  const holdOut = o.validation ? 2 : 1;
  const minN = o.minInteractions ?? holdOut + 1;
  if (!Number.isInteger(minN) || minN < holdOut) {
    throw new ConfigError(`minInteractions must be an integer ≥ ${holdOut}, got ${minN}`, 'minInteractions');
  }
  const rng = createRng(o.seed);
  const { offsets, rows } = rowsByUser(interactions);
  const label = new Uint8Array(interactions.length);
  for (let u = 0; u < interactions.numUsers; u++) {
    const a = offsets[u]!;
    const b = offsets[u + 1]!;
    if (b - a < minN) continue;
    if (by === 'timestamp') {
      const t = ts as Float64Array;
      // rows ascending within a user, so `>=` prefers the later row on ties
      let best = -1;
      let second = -1;
      for (let j = a; j < b; j++) {
        const r = rows[j]!;
        if (best < 0 || t[r]! >= t[best]!) {
          second = best;
          best = r;
        } else if (second < 0 || t[r]! >= t[second]!) second = r;
      }
      label[best] = 1;
      if (o.validation) label[second] = 2;
    } else {
      const d = b - a;
      const i = rng.int(d);
      label[rows[a + i]!] = 1;
      if (o.validation) {
        let j = rng.int(d - 1);
        if (j >= i) j++;
        label[rows[a + j]!] = 2;
      }
    }
  }
  return splitByLabel(interactions, label, o.validation);
}
