import { ConfigError } from '../errors.js';
import type { Recommender } from '../model.js';
import { MARK_EXCLUDED, selectTopK } from '../top-k.js';
import type { TopKWorkspace } from '../top-k.js';
import { denseIndex, externalId } from './external-ids.js';
import type { ExternalId } from './external-ids.js';

/** Ranking helpers shared by `recommendBatch` and `recommendForHistory` (internal: not re-exported). */

/** Throws ConfigError unless `k` is an integer ≥ 1. */
export function checkK(k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new ConfigError(`k must be an integer ≥ 1, got ${k}`, 'k');
  return k;
}

/**
 * Per-item marks for ranking: {@link MARK_EXCLUDED} for items outside `candidates` (external ids; every
 * item is a candidate without them). Unknown candidate ids throw UnknownIdError.
 */
export function candidateMarks(
  model: Pick<Recommender, 'info'>,
  candidates: readonly ExternalId[] | undefined,
): Uint8Array {
  const { numItems, itemIds } = model.info;
  const marks = new Uint8Array(numItems);
  if (candidates) {
    marks.fill(MARK_EXCLUDED);
    for (const c of candidates) marks[denseIndex(itemIds, numItems, c, 'item')] = 0;
  }
  return marks;
}

/**
 * The top `k` of one row of scores with core's selector, skipping marked items and scores that are NaN or
 * `-Infinity` (no score), best first; ties by the lower item index. `marks` is modified (restore it or
 * pass a copy).
 */
export function selectRecommendations(
  model: Pick<Recommender, 'info'>,
  row: Float32Array,
  marks: Uint8Array,
  ws: TopKWorkspace,
): { items: ExternalId[]; itemIndices: Int32Array; scores: Float32Array } {
  for (let i = 0; i < row.length; i++) if (!((row[i] as number) > -Infinity)) marks[i] = MARK_EXCLUDED;
  const count = selectTopK(row, 0, row.length, marks, ws.k, ws);
  const itemIndices = ws.items.slice(0, count);
  return {
    items: Array.from(itemIndices, (i) => externalId(model.info.itemIds, i)),
    itemIndices,
    scores: Float32Array.from(itemIndices, (i) => row[i] as number),
  };
}
