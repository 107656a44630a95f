import type { Interactions } from './interactions.js';

/**
 * Each user's items as compressed sparse rows: user `u`'s items are `items[offsets[u]..offsets[u+1])`,
 * sorted ascending (duplicates kept, in input order). `rows[k]` is the interaction row of entry `k`, so any
 * column (ratings, timestamps) can be looked up. Used for exact negative exclusion, seen-item masking in
 * evaluation, and user-history batches.
 */
export interface UserItemsCsr {
  readonly numUsers: number;
  readonly numItems: number;
  /** `numUsers + 1` offsets. */
  readonly offsets: Int32Array;
  /** Item indices, sorted within each user. */
  readonly items: Int32Array;
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
  return { numUsers, numItems, offsets, items: outItems, rows };
}

/** Whether user `user` has item `item` in `csr` (binary search, O(log degree)). */
export function csrHas(csr: UserItemsCsr, user: number, item: number): boolean {
  let lo = csr.offsets[user] as number;
  let hi = (csr.offsets[user + 1] as number) - 1;
  const a = csr.items;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid] as number;
    if (v === item) return true;
    if (v < item) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
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
