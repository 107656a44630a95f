import { DataError } from '@ncf/core/base';

/**
 * Items per user in CSR form: user `u`'s items are `items[offsets[u] .. offsets[u+1])`, with optional aligned
 * `values` (e.g. ratings). The shape `@ncf/datasets`' `userItemsCsr` produces; every protocol reads it.
 */
export interface UserItems {
  /** `numUsers + 1` offsets, non-decreasing, `offsets[0] = 0`. */
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  /** Optional value per entry (e.g. the rating), aligned with `items`. */
  readonly values?: Float32Array;
}

/** Number of users a {@link UserItems} covers. */
export function userCount(csr: UserItems): number {
  return csr.offsets.length - 1;
}

/**
 * Builds {@link UserItems} from aligned `(users[i], items[i], values?[i])` triples (counting sort by user;
 * within a user, entries keep their input order). `O(n + numUsers)`.
 * Throws DataError naming the row when an id is out of range.
 */
export function userItemsFromPairs(
  numUsers: number,
  users: Int32Array,
  items: Int32Array,
  values?: Float32Array,
  numItems?: number,
): UserItems {
  if (users.length !== items.length || (values && values.length !== users.length)) {
    throw new DataError(
      `users (${users.length}), items (${items.length})${values ? ` and values (${values.length})` : ''} must have equal lengths`,
    );
  }
  const offsets = new Int32Array(numUsers + 1);
  for (let i = 0; i < users.length; i++) {
    const u = users[i] as number;
    if (u < 0 || u >= numUsers) throw new DataError(`row ${i}: user ${u} is outside [0, ${numUsers})`);
    const it = items[i] as number;
    if (it < 0 || (numItems !== undefined && it >= numItems)) {
      throw new DataError(`row ${i}: item ${it} is outside [0, ${numItems ?? 'numItems'})`);
    }
    offsets[u + 1] = (offsets[u + 1] as number) + 1;
  }
  for (let u = 0; u < numUsers; u++) offsets[u + 1] = (offsets[u + 1] as number) + (offsets[u] as number);
  const cursor = offsets.slice(0, numUsers);
  const outItems = new Int32Array(users.length);
  const outValues = values ? new Float32Array(users.length) : undefined;
  for (let i = 0; i < users.length; i++) {
    const u = users[i] as number;
    const at = cursor[u] as number;
    cursor[u] = at + 1;
    outItems[at] = items[i] as number;
    if (outValues && values) outValues[at] = values[i] as number;
  }
  return outValues ? { offsets, items: outItems, values: outValues } : { offsets, items: outItems };
}

/** Checks that `csr` is well formed for `numUsers` users and `numItems` items; throws DataError naming `what`. */
export function checkUserItems(csr: UserItems, numUsers: number, numItems: number, what: string): void {
  const { offsets, items } = csr;
  if (offsets.length !== numUsers + 1) {
    throw new DataError(`${what}: expected ${numUsers + 1} offsets (numUsers + 1), got ${offsets.length}`);
  }
  if (offsets[0] !== 0 || offsets[numUsers] !== items.length) {
    throw new DataError(`${what}: offsets must start at 0 and end at items.length (${items.length})`);
  }
  for (let u = 0; u < numUsers; u++) {
    if ((offsets[u + 1] as number) < (offsets[u] as number))
      throw new DataError(`${what}: offsets decrease at user ${u}`);
  }
  for (let i = 0; i < items.length; i++) {
    const it = items[i] as number;
    if (it < 0 || it >= numItems)
      throw new DataError(`${what}: entry ${i} has item ${it} outside [0, ${numItems})`);
  }
  if (csr.values && csr.values.length !== items.length) {
    throw new DataError(`${what}: values has ${csr.values.length} entries, items has ${items.length}`);
  }
}
