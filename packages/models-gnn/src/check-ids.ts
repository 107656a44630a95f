import { DataError } from '@ncf/core';

/**
 * Checks that every dense id in `ids` lies in `[0, count)`; tfjs's gather would otherwise return zeros or
 * garbage silently. O(ids.length).
 *
 * @throws DataError naming the field, the position and the bad id.
 */
export function checkIds(ids: Int32Array, count: number, field: string): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= count) {
      throw new DataError(`${field}[${i}] = ${id} is not a dense id in [0, ${count})`);
    }
  }
}
