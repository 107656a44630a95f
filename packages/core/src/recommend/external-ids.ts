import { UnknownIdError } from '../errors.js';
import type { IdMapJson } from '../dataset-info.js';

/** An external user or item id, as in the dataset's id maps (`DatasetInfo.userIds` / `itemIds`). */
export type ExternalId = string | number;

const lookupCache = new WeakMap<IdMapJson, Map<ExternalId, number>>();

/**
 * The dense index of external id `id` in `map` (built once per map), or `undefined` when unknown. Without
 * a map, ids are the dense indices themselves: integers in `[0, count)`.
 */
export function findDenseIndex(
  map: IdMapJson | undefined,
  count: number,
  id: ExternalId,
): number | undefined {
  if (map === undefined) {
    return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < count ? id : undefined;
  }
  let lookup = lookupCache.get(map);
  if (lookup === undefined) {
    lookup = new Map(map.ids.map((x, i) => [x, i]));
    lookupCache.set(map, lookup);
  }
  return lookup.get(id);
}

/** Like {@link findDenseIndex}, but an unknown id throws {@link UnknownIdError}. */
export function denseIndex(
  map: IdMapJson | undefined,
  count: number,
  id: ExternalId,
  kind: 'user' | 'item',
): number {
  const index = findDenseIndex(map, count, id);
  if (index === undefined) throw new UnknownIdError(kind, id);
  return index;
}

/** The external id of dense index `index` (the index itself without a map). */
export function externalId(map: IdMapJson | undefined, index: number): ExternalId {
  return map === undefined ? index : (map.ids[index] as ExternalId);
}
