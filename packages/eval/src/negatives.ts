import { ConfigError, DataError, createRng } from '@ncf/core';
import type { UserItems } from './user-items.js';

/**
 * Negatives of the sampled protocol, one list per held-out `(user, positive)` pair, in CSR form: list `r` is
 * `items[offsets[r] .. offsets[r+1])`. Read from a fixed file (the NCF paper's `test.negative`: `(u,i)\tneg…`)
 * or drawn by {@link sampleNegatives}. Duplicates inside a list are kept as given (the peer keeps them too);
 * `duplicates` counts them so reports can say so.
 */
export interface FixedNegatives {
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
): FixedNegatives {
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
 * Parses the NCF paper's negatives format (`(user,item)\tneg1\tneg2…` per line, 0-based dense ids) from text.
 * Throws DataError naming `file` and the line on malformed input. Duplicates inside a line are kept and counted.
 */
export function parseNcfNegatives(text: string, file = 'negatives'): FixedNegatives {
  const users: number[] = [];
  const positives: number[] = [];
  const offsets: number[] = [0];
  const items: number[] = [];
  let duplicates = 0;
  let lineNo = 0;
  const seen = new Set<number>();
  for (const raw of text.split('\n')) {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    const fields = line.split('\t');
    const head = /^\((\d+),(\d+)\)$/.exec((fields[0] as string).trim());
    if (!head)
      throw new DataError(`expected '(user,item)' as the first field, got '${fields[0]}'`, {
        file,
        line: lineNo,
      });
    users.push(Number(head[1]));
    positives.push(Number(head[2]));
    seen.clear();
    for (let f = 1; f < fields.length; f++) {
      const v = (fields[f] as string).trim();
      if (v === '') continue;
      if (!/^\d+$/.test(v))
        throw new DataError(`field ${f + 1}: expected a non-negative item id, got '${v}'`, {
          file,
          line: lineNo,
        });
      const it = Number(v);
      if (seen.has(it)) duplicates++;
      seen.add(it);
      items.push(it);
    }
    offsets.push(items.length);
  }
  return {
    users: Int32Array.from(users),
    positives: Int32Array.from(positives),
    offsets: Int32Array.from(offsets),
    items: Int32Array.from(items),
    source: `file ${file}`,
    duplicates,
  };
}
