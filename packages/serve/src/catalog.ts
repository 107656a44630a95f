import type { IdMapJson } from '@ncf/core';
import type { ExternalId } from './model-calls.js';
import type { ServedModel } from './model-holder.js';
import type { ScoredItem } from './schemas.js';

/**
 * The external id a path segment names: ids are numbers in numeric id maps (MovieLens), so `/users/196` means
 * user 196; anything that is not a plain number stays a string (and is then unknown to a numeric map).
 */
export function pathId(map: IdMapJson | undefined, text: string): ExternalId {
  if (map?.type === 'string') return text;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/** Scored items as the API returns them, with titles when the catalogue has them. */
export function scoredItems(
  served: ServedModel,
  items: readonly ExternalId[],
  indices: Int32Array,
  scores: Float32Array,
): ScoredItem[] {
  const titles = served.catalog.itemTitles;
  return items.map((item, r) => {
    const title = titles?.[indices[r]!];
    return title === undefined ? { item, score: scores[r]! } : { item, score: scores[r]!, title };
  });
}

/** Result of {@link searchItems}. */
export interface ItemSearch {
  readonly matchedOn: 'title' | 'id';
  readonly total: number;
  readonly items: { item: ExternalId; title?: string }[];
}

/**
 * Items whose title (or, without titles, external id) contains `query`, case-insensitively, in catalogue
 * order; an empty query lists the catalogue from the start.
 */
export function searchItems(served: ServedModel, query: string, limit: number): ItemSearch {
  const { info } = served.model;
  const titles = served.catalog.itemTitles;
  const q = query.trim().toLowerCase();
  const items: { item: ExternalId; title?: string }[] = [];
  let total = 0;
  for (let i = 0; i < info.numItems; i++) {
    const item = info.itemIds ? info.itemIds.ids[i]! : i;
    const title = titles?.[i];
    const text = (title ?? String(item)).toLowerCase();
    if (q !== '' && !text.includes(q)) continue;
    total++;
    if (items.length < limit) items.push(title === undefined ? { item } : { item, title });
  }
  return { matchedOn: titles ? 'title' : 'id', total, items };
}
