import type { Csr } from '../csr.js';
import { DataError } from '../errors.js';

/**
 * Each user's items by dense user index, as core's {@link Csr} (rows = users, `indices` = items; e.g.
 * `@ncf/datasets`' `userItemsCsr(train)`): user `u`'s items are `indices[offsets[u]..offsets[u+1])`.
 */
export type SeenCsr = Csr;

/** Interaction columns in the model's dense id space (e.g. @ncf/datasets' training `Interactions`). */
export interface SeenInteractions {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly numUsers: number;
}

/** The items to leave out of a user's recommendations: a per-user CSR, or interactions. */
export type SeenInput = SeenCsr | SeenInteractions;

const csrCache = new WeakMap<object, SeenCsr>();

/**
 * The seen items as a CSR by dense user (built once per interactions object, O(rows)). Throws DataError
 * when the input's user count differs from the model's (`numUsers`).
 */
export function seenCsr(seen: SeenInput, numUsers: number): SeenCsr {
  if ('offsets' in seen) {
    if (seen.offsets.length !== numUsers + 1) {
      throw new DataError(
        `seen.offsets must have numUsers + 1 = ${numUsers + 1} entries, got ${seen.offsets.length}`,
      );
    }
    return seen;
  }
  const cached = csrCache.get(seen);
  if (cached) return cached;
  if (seen.numUsers > numUsers) {
    throw new DataError(
      `seen interactions have ${seen.numUsers} users, the model knows ${numUsers}: different id spaces`,
    );
  }
  const offsets = new Int32Array(numUsers + 1);
  for (let r = 0; r < seen.users.length; r++) offsets[(seen.users[r] as number) + 1]!++;
  for (let u = 0; u < numUsers; u++) offsets[u + 1]! += offsets[u] as number;
  const fill = offsets.slice(0, numUsers);
  const items = new Int32Array(seen.users.length);
  for (let r = 0; r < seen.users.length; r++)
    items[fill[seen.users[r] as number]!++] = seen.items[r] as number;
  let numCols = 0;
  for (let r = 0; r < items.length; r++)
    if ((items[r] as number) >= numCols) numCols = (items[r] as number) + 1;
  // Within a user the items keep input order; sort each row, as every Csr is.
  for (let u = 0; u < numUsers; u++) items.subarray(offsets[u], offsets[u + 1]).sort();
  const csr: Csr = { numRows: numUsers, numCols, offsets, indices: items };
  csrCache.set(seen, csr);
  return csr;
}
