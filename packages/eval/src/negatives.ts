import { ConfigError, createRng } from '@ncf/core/base';
import type { FixedNegatives } from '@ncf/datasets';
import type { UserItems } from './user-items.js';

/**
 * Negatives of the sampled protocol, one list per held-out `(user, positive)` pair, in CSR form: list `r` is
 * `items[offsets[r] .. offsets[r+1])`. From a fixed file (the NCF paper's `test.negative`, read by
 * `@ncf/datasets`' `readFixedNegatives`, converted by {@link negativeListsFromFixed}) or drawn by
 * {@link sampleNegatives}. Duplicates inside a list are kept as given (the peer keeps them too);
 * `duplicates` counts them so reports can say so.
 */
export interface NegativeLists {
  readonly users: Int32Array;
  readonly positives: Int32Array;
  /** `users.length + 1` offsets into `items`. */
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  /** Where the lists came from, e.g. `file ml-100k.test.negative` or `seeded uniform (seed 42)`. */
  readonly source: string;
  /** Number of repeated items inside lists (0 for seeded sampling). */
  readonly duplicates: number;
}

/** Options of {@link sampleNegatives}. */
export interface SampleNegativesOptions {
  /** Negatives per held-out pair. */
  readonly count?: number;
  /** Seed of the sampler. */
  readonly seed?: number;
}

/** Defaults of {@link sampleNegatives}: 99 negatives per positive (the NCF paper's protocol), seed 42. */
export const SAMPLE_NEGATIVES_DEFAULTS = { count: 99, seed: 42 } as const;

/**
 * Draws `count` distinct negatives per held-out pair, uniformly among the items the user has neither in
 * `exclude` (training/validation) nor in `heldOut` (any of the user's test items). Seeded and deterministic.
 * Throws ConfigError when a user has fewer than `count` candidates.
 * Rejection sampling with a per-call mark array: `O(count)` expected per pair when the user has seen a small
 * part of the catalog; memory `O(numItems)` plus the output.
 */
export function sampleNegatives(
  numItems: number,
  heldOut: { readonly users: Int32Array; readonly items: Int32Array },
  exclude: UserItems | undefined,
  heldOutByUser: UserItems,
  options: SampleNegativesOptions = {},
): NegativeLists {
  const count = options.count ?? SAMPLE_NEGATIVES_DEFAULTS.count;
  const seed = options.seed ?? SAMPLE_NEGATIVES_DEFAULTS.seed;
  if (!Number.isInteger(count) || count < 1)
    throw new ConfigError(`negatives must be a positive integer, got ${count}`, 'negatives');
  const rng = createRng(seed);
  const n = heldOut.users.length;
  const offsets = new Int32Array(n + 1);
  const items = new Int32Array(n * count);
  const mark = new Int32Array(numItems).fill(-1);
  for (let r = 0; r < n; r++) {
    const u = heldOut.users[r] as number;
    let seen = 0;
    const tag = r;
    const markList = (csr: UserItems | undefined): void => {
      if (!csr || u + 1 >= csr.offsets.length) return;
      for (let p = csr.offsets[u] as number; p < (csr.offsets[u + 1] as number); p++) {
        const it = csr.items[p] as number;
        if (mark[it] !== tag) {
          mark[it] = tag;
          seen++;
        }
      }
    };
    markList(exclude);
    markList(heldOutByUser);
    if (numItems - seen < count) {
      throw new ConfigError(
        `user ${u} has ${numItems - seen} items outside its train/test items, fewer than the ${count} negatives asked for`,
        'negatives',
      );
    }
    const base = r * count;
    for (let q = 0; q < count; q++) {
      let it: number;
      do it = rng.int(numItems);
      while (mark[it] === tag);
      mark[it] = tag;
      items[base + q] = it;
    }
    offsets[r + 1] = base + count;
  }
  return {
    users: heldOut.users,
    positives: heldOut.items,
    offsets,
    items,
    source: `seeded uniform, ${count} per positive (seed ${seed})`,
    duplicates: 0,
  };
}

/**
 * Adapts `@ncf/datasets`' {@link FixedNegatives} (e.g. from `readFixedNegatives` on a `test.negative` file) to
 * the {@link NegativeLists} the sampled protocol reads. Zero-copy: the arrays are shared.
 */
export function negativeListsFromFixed(fixed: FixedNegatives): NegativeLists {
  return {
    users: fixed.users,
    positives: fixed.positives,
    offsets: fixed.offsets,
    items: fixed.negatives,
    source: `file ${fixed.report.file}`,
    duplicates: fixed.report.duplicateNegatives,
  };
}
