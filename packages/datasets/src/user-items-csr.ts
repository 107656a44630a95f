import type { Csr } from '@ncf/core/base';
import type { Interactions } from './interactions.js';

/** Core's binary search over a sorted CSR row, re-exported for callers of {@link userItemsCsr}. */
export { csrHas } from '@ncf/core/base';

/**
 * Each user's items as core's {@link Csr} (rows = users, columns = items): user `u`'s items are
 * `indices[offsets[u]..offsets[u+1])`, sorted ascending (duplicates kept, in input order), no `values`.
 * `rows[k]` is the interaction row of entry `k`, so any column (ratings, timestamps) can be looked up. Used
 * for exact negative exclusion, seen-item masking in evaluation, and user-history batches.
 */
export interface UserItemsCsr extends Csr {
  /** Interaction row of each entry. */
  readonly rows: Int32Array;
}

/**
 * Builds the user → items CSR in O(n + users + items) with two stable counting sorts (by item, then user).
 */
export function userItemsCsr(interactions: Interactions): UserItemsCsr {
  const { users, items, numUsers, numItems, length: n } = interactions;
  // counting sort by item (stable)
  const itemStart = new Int32Array(numItems + 1);
  for (let k = 0; k < n; k++) {
    const j = (items[k] as number) + 1;
    itemStart[j] = (itemStart[j] as number) + 1;
  }
  for (let i = 0; i < numItems; i++)
    itemStart[i + 1] = (itemStart[i + 1] as number) + (itemStart[i] as number);
  const byItem = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = items[k] as number;
    const p = itemStart[i] as number;
    byItem[p] = k;
    itemStart[i] = p + 1;
  }
  // counting sort by user (stable, so items stay sorted within a user)
  const offsets = new Int32Array(numUsers + 1);
  for (let k = 0; k < n; k++) {
    const j = (users[k] as number) + 1;
    offsets[j] = (offsets[j] as number) + 1;
  }
  for (let u = 0; u < numUsers; u++) offsets[u + 1] = (offsets[u + 1] as number) + (offsets[u] as number);
  const cursor = offsets.slice(0, numUsers);
  const rows = new Int32Array(n);
  const outItems = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const k = byItem[j] as number;
    const u = users[k] as number;
    const pos = cursor[u] as number;
    cursor[u] = pos + 1;
    rows[pos] = k;
    outItems[pos] = items[k] as number;
  }
  return { numRows: numUsers, numCols: numItems, offsets, indices: outItems, rows };
}

/** Number of interactions of each user (`Int32Array(numUsers)`). */
export function userDegrees(interactions: Interactions): Int32Array {
  const d = new Int32Array(interactions.numUsers);
  for (let k = 0; k < interactions.length; k++) {
    const u = interactions.users[k] as number;
    d[u] = (d[u] as number) + 1;
  }
  return d;
}

/** Number of interactions of each item (`Int32Array(numItems)`). */
export function itemDegrees(interactions: Interactions): Int32Array {
  const d = new Int32Array(interactions.numItems);
  for (let k = 0; k < interactions.length; k++) {
    const i = interactions.items[k] as number;
    d[i] = (d[i] as number) + 1;
  }
  return d;
}
