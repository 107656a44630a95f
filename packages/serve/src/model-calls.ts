/**
 * Every call the server makes into model logic, in one file. The signatures are those of @ncf/core's planned
 * scoring-by-history API (contract part 3: `recommend`, `recommendBatch`, `scoreNewUser`,
 * `recommendForHistory`, `HistoryScoringUnsupportedError`); until core ships them, this file implements them
 * with what the model contract offers today (`score`, `scoreAll`, optional `scoreHistory` / `itemFactors`),
 * so replacing it by re-exports from core is mechanical. Nothing here knows a model family.
 */
import { ConfigError, NcfError, UnknownIdError } from '@ncf/core';
import type { IdMapJson, Recommender } from '@ncf/core';

/** An external user or item id (as in the model's id maps). */
export type ExternalId = string | number;

/** A user known only by what they rated: dense item indices + RAW values (ratings on the model's scale, or 1s). */
export interface UserHistory {
  readonly items: Int32Array;
  readonly values: Float32Array;
}

/** Item vectors of a dot-product model: `numItems × dim`, row-major. */
export interface ItemFactors {
  readonly dim: number;
  readonly values: Float32Array;
}

/** The optional capabilities of the contract's `Recommender` this file looks for (absent in core today). */
interface HistoryCapable {
  scoreHistory?(history: UserHistory, items?: Int32Array): Float32Array;
  itemFactors?(): ItemFactors;
}

/** How a new user's scores were obtained. */
export type NewUserStrategy = 'history' | 'fold-in' | 'popularity';

/** Items per user in CSR form over dense indices: user `u`'s items are `items[offsets[u]..offsets[u+1])`. */
export interface UserItemsCsr {
  readonly offsets: Int32Array;
  readonly items: Int32Array;
}

/** Options of {@link recommend} and {@link recommendBatch}. */
export interface RecommendOptions {
  /** How many items to return per user. Default 10. */
  readonly k?: number;
  /** Leave out the items in `seen`. Default true (then `seen` is required). */
  readonly excludeSeen?: boolean;
  /** The users' seen items (typically the training interactions) by dense user index. */
  readonly seen?: UserItemsCsr;
}

/** Defaults of {@link RecommendOptions}. */
export const RECOMMEND_DEFAULTS = Object.freeze({ k: 10, excludeSeen: true });

/** Top-K items of one user, best first. */
export interface Recommendation {
  readonly user: ExternalId;
  /** External item ids, best first. */
  readonly items: ExternalId[];
  /** Dense item indices aligned with `items`. */
  readonly itemIndices: Int32Array;
  /** Model scores aligned with `items`. */
  readonly scores: Float32Array;
}

/** The model can score neither a history nor fold a new user in: new users cannot be served. */
export class HistoryScoringUnsupportedError extends NcfError {
  readonly kind: string;
  constructor(kind: string) {
    super(
      'HISTORY_SCORING_UNSUPPORTED',
      `model cannot score new users: kind '${kind}' implements neither scoreHistory() nor itemFactors()`,
    );
    this.kind = kind;
  }
}

/** The model gives no item vectors, so item-item similarity is not available. */
export class SimilarityUnsupportedError extends NcfError {
  readonly kind: string;
  constructor(kind: string) {
    super(
      'SIMILARITY_UNSUPPORTED',
      `model cannot rank similar items: kind '${kind}' does not implement itemFactors()`,
    );
    this.kind = kind;
  }
}

const lookupCache = new WeakMap<IdMapJson, Map<ExternalId, number>>();

/** Dense index of an external id; throws {@link UnknownIdError}. Ids without a map are the dense indices. */
export function denseIndex(
  map: IdMapJson | undefined,
  count: number,
  id: ExternalId,
  kind: 'user' | 'item',
): number {
  if (map === undefined) {
    if (typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < count) return id;
    throw new UnknownIdError(kind, id);
  }
  let lookup = lookupCache.get(map);
  if (lookup === undefined) {
    lookup = new Map(map.ids.map((x, i) => [x, i]));
    lookupCache.set(map, lookup);
  }
  const index = lookup.get(id);
  if (index === undefined) throw new UnknownIdError(kind, id);
  return index;
}

/** External id of a dense index. */
export function externalId(map: IdMapJson | undefined, index: number): ExternalId {
  return map === undefined ? index : map.ids[index]!;
}

/**
 * Indices of the `k` largest scores, best first; ties broken by the lower index; `NaN` and `-Infinity`
 * (masked) entries are never returned.
 */
export function topK(scores: Float32Array, k: number): Int32Array {
  const idx = new Int32Array(k);
  const val = new Float32Array(k);
  let n = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!(s > -Infinity)) continue;
    if (n === k && !(s > val[k - 1]!)) continue;
    let p = n < k ? n++ : k - 1;
    while (p > 0 && s > val[p - 1]!) {
      val[p] = val[p - 1]!;
      idx[p] = idx[p - 1]!;
      p--;
    }
    val[p] = s;
    idx[p] = i;
  }
  return idx.slice(0, n);
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new ConfigError(`k must be an integer ≥ 1, got ${k}`, 'k');
}

function scoreUsers(model: Recommender, users: Int32Array): Float32Array {
  if (model.scoreAll) return model.scoreAll(users);
  const n = model.info.numItems;
  const u = new Int32Array(users.length * n);
  const i = new Int32Array(users.length * n);
  for (let b = 0; b < users.length; b++) {
    u.fill(users[b]!, b * n, (b + 1) * n);
    for (let j = 0; j < n; j++) i[b * n + j] = j;
  }
  return model.score(u, i);
}

function pick(
  model: Recommender,
  row: Float32Array,
  k: number,
): Pick<Recommendation, 'items' | 'itemIndices' | 'scores'> {
  const top = topK(row, k);
  return {
    items: Array.from(top, (i) => externalId(model.info.itemIds, i)),
    itemIndices: top,
    scores: Float32Array.from(top, (i) => row[i]!),
  };
}

/**
 * Top-K recommendations for many known users (external ids in and out), seen items excluded by default.
 * Unknown users throw {@link UnknownIdError} before anything is scored.
 */
export function recommendBatch(
  model: Recommender,
  users: readonly ExternalId[],
  options: RecommendOptions = {},
): Recommendation[] {
  const k = options.k ?? RECOMMEND_DEFAULTS.k;
  const excludeSeen = options.excludeSeen ?? RECOMMEND_DEFAULTS.excludeSeen;
  checkK(k);
  if (excludeSeen && !options.seen) {
    throw new ConfigError(
      'excludeSeen is on (the default) but no `seen` items were given; pass seen or excludeSeen: false',
      'seen',
    );
  }
  const { info } = model;
  const dense = Int32Array.from(users, (u) => denseIndex(info.userIds, info.numUsers, u, 'user'));
  if (dense.length === 0) return [];
  const scores = scoreUsers(model, dense);
  const n = info.numItems;
  return Array.from(dense, (u, b) => {
    const row = scores.subarray(b * n, (b + 1) * n);
    const seen = excludeSeen ? options.seen : undefined;
    if (seen) for (let p = seen.offsets[u]!; p < seen.offsets[u + 1]!; p++) row[seen.items[p]!] = -Infinity;
    return { user: users[b]!, ...pick(model, row, k) };
  });
}

/** Top-K recommendations for one known user; see {@link recommendBatch}. */
export function recommend(
  model: Recommender,
  user: ExternalId,
  options: RecommendOptions = {},
): Recommendation {
  return recommendBatch(model, [user], options)[0]!;
}

/** Options of {@link scoreNewUser}. */
export interface ScoreNewUserOptions {
  /** Score only these dense items (default every item, in index order). */
  readonly items?: Int32Array;
}

/**
 * Scores for a user given only by a history: the model's own `scoreHistory` when it has one (`'history'`).
 * Fold-in over `itemFactors()` is core's to implement; until then a model without `scoreHistory` throws
 * {@link HistoryScoringUnsupportedError}.
 */
export function scoreNewUser(
  model: Recommender,
  history: UserHistory,
  options: ScoreNewUserOptions = {},
): { scores: Float32Array; strategy: 'history' | 'fold-in' } {
  const capable = model as Recommender & HistoryCapable;
  if (typeof capable.scoreHistory === 'function') {
    return { scores: capable.scoreHistory(history, options.items), strategy: 'history' };
  }
  throw new HistoryScoringUnsupportedError(model.kind);
}

/** One rating of a new user, by external item id; `rating` defaults to 1 (implicit feedback). */
export interface HistoryRating {
  readonly item: ExternalId;
  readonly rating?: number;
}

/** Options of {@link recommendForHistory}. */
export interface RecommendForHistoryOptions {
  /** How many items to return. Default 10. */
  readonly k?: number;
  /** Leave out the rated items. Default true. */
  readonly excludeSeen?: boolean;
  /** Unknown item ids: skip them (reported in `skipped`) or throw {@link UnknownIdError}. Default 'skip'. */
  readonly unknownItems?: 'skip' | 'error';
}

/** Defaults of {@link RecommendForHistoryOptions}. */
export const RECOMMEND_FOR_HISTORY_DEFAULTS = Object.freeze({
  k: 10,
  excludeSeen: true,
  unknownItems: 'skip' as 'skip' | 'error',
});

/** Top-K items for a new user, with how they were scored and which rated ids were skipped. */
export interface HistoryRecommendation {
  readonly items: ExternalId[];
  readonly itemIndices: Int32Array;
  readonly scores: Float32Array;
  readonly strategy: NewUserStrategy;
  /** Rated ids the model does not know (when `unknownItems: 'skip'`). */
  readonly skipped: { readonly count: number; readonly ids: ExternalId[] };
  /** The history actually scored (dense items, raw values). */
  readonly history: UserHistory;
}

/**
 * Top-K items for a user known only by `ratings` (external ids), scored through {@link scoreNewUser}.
 * An empty history (nothing known rated) would need item popularity, which model files do not carry yet:
 * it throws {@link HistoryScoringUnsupportedError} like a model without history scoring.
 */
export function recommendForHistory(
  model: Recommender,
  ratings: readonly HistoryRating[],
  options: RecommendForHistoryOptions = {},
): HistoryRecommendation {
  const o = { ...RECOMMEND_FOR_HISTORY_DEFAULTS, ...options };
  checkK(o.k);
  const { info } = model;
  const items: number[] = [];
  const values: number[] = [];
  const skipped: ExternalId[] = [];
  const at = new Map<number, number>();
  for (const r of ratings) {
    let i: number;
    try {
      i = denseIndex(info.itemIds, info.numItems, r.item, 'item');
    } catch (err) {
      if (o.unknownItems === 'error' || !(err instanceof UnknownIdError)) throw err;
      skipped.push(r.item);
      continue;
    }
    // A repeated item keeps its last rating, as a re-rating would.
    const prev = at.get(i);
    if (prev !== undefined) values[prev] = r.rating ?? 1;
    else {
      at.set(i, items.length);
      items.push(i);
      values.push(r.rating ?? 1);
    }
  }
  if (items.length === 0) throw new HistoryScoringUnsupportedError(model.kind);
  const history: UserHistory = { items: Int32Array.from(items), values: Float32Array.from(values) };
  const { scores, strategy } = scoreNewUser(model, history);
  const row = Float32Array.from(scores);
  if (o.excludeSeen) for (const i of items) row[i] = -Infinity;
  return { ...pick(model, row, o.k), strategy, skipped: { count: skipped.length, ids: skipped }, history };
}

/** Whether {@link similarItems} can answer for this model. */
export function hasItemFactors(model: Recommender): boolean {
  return typeof (model as Recommender & HistoryCapable).itemFactors === 'function';
}

/**
 * The `k` items most similar to dense item `item` by cosine over the model's item vectors (the item itself
 * left out). Throws {@link SimilarityUnsupportedError} for models without `itemFactors()`.
 */
export function similarItems(
  model: Recommender,
  item: number,
  k: number,
): Pick<Recommendation, 'items' | 'itemIndices' | 'scores'> {
  checkK(k);
  const capable = model as Recommender & HistoryCapable;
  if (typeof capable.itemFactors !== 'function') throw new SimilarityUnsupportedError(model.kind);
  const { dim, values } = capable.itemFactors();
  const n = model.info.numItems;
  const norm = (i: number): number => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += values[i * dim + d]! ** 2;
    return Math.sqrt(s);
  };
  const q = norm(item);
  const row = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += values[item * dim + d]! * values[i * dim + d]!;
    const den = q * norm(i);
    row[i] = den > 0 ? dot / den : 0;
  }
  row[item] = -Infinity;
  return pick(model, row, k);
}
