// Dense indices for raw numeric ids, in ascending id order, through an existing id map.
import { DataError } from '@ncf/core/base';
import type { IdMap } from './id-map.js';
import { INT32_MAX, INT32_MIN } from './parse-number.js';

/**
 * Replaces raw numeric ids in `ids` (in place) by dense indices. Ids already in `map` keep their index; new
 * ids are added in ascending order (or rejected when `unknown` is `'error'`).
 */
export function densify(ids: Int32Array, map: IdMap, unknown: 'add' | 'error', file: string): IdMap {
  const n = ids.length;
  let min = INT32_MAX;
  let max = INT32_MIN;
  for (let i = 0; i < n; i++) {
    const v = ids[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const assign = (v: number): number => {
    let k = map.indexOf(v);
    if (k < 0) {
      if (unknown === 'error')
        throw new DataError(`${map.kind} id ${v} is not in the given id map`, { file });
      k = map.add(v);
    }
    return k;
  };
  const range = max - min + 1;
  if (range <= Math.max(1 << 22, 2 * n)) {
    const table = new Int32Array(range).fill(-1);
    for (let i = 0; i < n; i++) table[(ids[i] as number) - min] = 0;
    for (let j = 0; j < range; j++) if (table[j] === 0) table[j] = assign(j + min);
    for (let i = 0; i < n; i++) ids[i] = table[(ids[i] as number) - min] as number;
    return map;
  }
  const sorted = Int32Array.from(ids).sort();
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i] as number;
  const uniq = sorted.subarray(0, m);
  const dense = new Int32Array(m);
  for (let j = 0; j < m; j++) dense[j] = assign(uniq[j] as number);
  for (let i = 0; i < n; i++) {
    const v = ids[i] as number;
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((uniq[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    ids[i] = dense[lo] as number;
  }
  return map;
}
