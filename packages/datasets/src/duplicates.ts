import { ConfigError, DataError } from '@ncf/core/base';
import type { Interactions } from './interactions.js';
import { interactionsFromArrays, selectRows } from './interactions.js';
import { userItemsCsr } from './user-items-csr.js';

/** What to do with several interactions of one (user, item) pair. */
export type DuplicatesPolicy = 'error' | 'keep-last' | 'mean' | 'keep-all';

/** What {@link resolveDuplicates} did. */
export interface DuplicatesReport {
  readonly policy: DuplicatesPolicy;
  /** Distinct (user, item) pairs that occurred more than once. */
  readonly duplicatePairs: number;
  /** Rows removed by merging (0 for `'keep-all'`). */
  readonly removedRows: number;
}

/**
 * Resolves repeated (user, item) pairs. `'error'` throws {@link DataError} naming the first pair;
 * `'keep-last'` keeps the latest (by timestamp, ties and no timestamps: the later row); `'mean'` keeps one row
 * with the mean rating and the latest timestamp; `'keep-all'` changes nothing but still counts. Kept rows stay
 * in input order.
 */
export function resolveDuplicates(
  interactions: Interactions,
  policy: DuplicatesPolicy = 'error',
): { interactions: Interactions; report: DuplicatesReport } {
  if (!['error', 'keep-last', 'mean', 'keep-all'].includes(policy)) {
    throw new ConfigError(
      `duplicates policy must be error, keep-last, mean or keep-all, got ${policy}`,
      'duplicates',
    );
  }
  const csr = userItemsCsr(interactions);
  const { offsets, indices: items, rows } = csr;
  const ts = interactions.timestamps;
  const r = interactions.ratings;
  const keep = new Uint8Array(interactions.length);
  const meanOf = policy === 'mean' && r ? new Float32Array(interactions.length).fill(NaN) : undefined;
  let duplicatePairs = 0;
  let removedRows = 0;
  for (let u = 0; u < csr.numRows; u++) {
    const end = offsets[u + 1]!;
    let a = offsets[u]!;
    while (a < end) {
      let b = a + 1;
      while (b < end && items[b] === items[a]) b++;
      if (b - a === 1) keep[rows[a]!] = 1;
      else {
        duplicatePairs++;
        if (policy === 'error') {
          throw new DataError(
            `user ${String(interactions.userIds.id(u))} has item ${String(interactions.itemIds.id(items[a]!))} ` +
              `${b - a} times (rows ${rows[a]} and ${rows[a + 1]}); expected one interaction per pair ` +
              `(choose duplicates: 'keep-last', 'mean' or 'keep-all')`,
          );
        }
        if (policy === 'keep-all') for (let j = a; j < b; j++) keep[rows[j]!] = 1;
        else {
          // rows ascending within the run (stable sorts), so `>=` picks the later row on ties
          let last = rows[a]!;
          let sum = 0;
          for (let j = a; j < b; j++) {
            const row = rows[j]!;
            if (!ts || ts[row]! >= ts[last]!) last = row;
            if (r) sum += r[row]!;
          }
          keep[last] = 1;
          if (meanOf) meanOf[last] = sum / (b - a);
          removedRows += b - a - 1;
        }
      }
      a = b;
    }
  }
  if (removedRows === 0) {
    return { interactions, report: { policy, duplicatePairs, removedRows } };
  }
  let m = 0;
  for (let k = 0; k < keep.length; k++) m += keep[k]!;
  const kept = new Int32Array(m);
  for (let k = 0, j = 0; k < keep.length; k++) if (keep[k]) kept[j++] = k;
  let out = selectRows(interactions, kept);
  if (meanOf && out.ratings) {
    const ratings = new Float32Array(m);
    for (let j = 0; j < m; j++) {
      const k = kept[j]!;
      const mean = meanOf[k]!;
      ratings[j] = Number.isNaN(mean) ? r![k]! : mean;
    }
    out = interactionsFromArrays(
      { users: out.users, items: out.items, ratings, timestamps: out.timestamps },
      { userIds: out.userIds, itemIds: out.itemIds, trusted: true },
    );
  }
  return { interactions: out, report: { policy, duplicatePairs, removedRows } };
}
