import { ConfigError, DataError, UnknownIdError } from '@ncf/core';
import type { Csr, IdMapJson, Recommender } from '@ncf/core';
import type { Interactions } from '@ncf/datasets';

/** An external user or item id (as in the dataset's id maps). */
export type ExternalId = string | number;

/**
 * A user's already-seen items: core's {@link Csr} by dense user index (rows = users, indices = items, e.g.
 * `@ncf/datasets`' `userItemsCsr(train)`), or interactions (in the model's dense id space).
 */
export type SeenItems = Csr | Pick<Interactions, 'users' | 'items' | 'numUsers'>;

/** Options of {@link recommend} and {@link recommendBatch}. */
export interface RecommendOptions {
  /** How many items to return per user. Default 10. */
  readonly k?: number;
  /** Leave out the items in `seen`. Default true (then `seen` is required). */
  readonly excludeSeen?: boolean;
  /** The users' seen items (typically the training interactions). */
  readonly seen?: SeenItems;
  /** Rank only these items (external ids); default every item. */
  readonly candidates?: readonly ExternalId[];
  /** Users scored per `scoreAll` call (bounds memory: `batchUsers × numItems` floats). Default 256. */
  readonly batchUsers?: number;
}

/** Defaults of {@link RecommendOptions}. */
export const RECOMMEND_DEFAULTS = { k: 10, excludeSeen: true, batchUsers: 256 } as const;

/** Top-K items of one user, best first. */
export interface Recommendation {
  readonly user: ExternalId;
  /** External item ids, best first. */
  readonly items: ExternalId[];
  /** Dense item indices aligned with `items`. */
  readonly itemIndices: Int32Array;
  /** Model scores aligned with `items` (logits for implicit-feedback models, ratings for `mse`). */
  readonly scores: Float32Array;
}

const lookupCache = new WeakMap<IdMapJson, Map<ExternalId, number>>();

function indexOf(map: IdMapJson | undefined, count: number, id: ExternalId, kind: 'user' | 'item'): number {
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

function externalId(map: IdMapJson | undefined, index: number): ExternalId {
  return map === undefined ? index : map.ids[index]!;
}

const csrCache = new WeakMap<object, Csr>();

/** The seen items as a CSR by dense user (built once per interactions object, O(rows)). */
export function seenCsr(seen: SeenItems, numUsers: number): Csr {
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
  for (let r = 0; r < seen.users.length; r++) offsets[seen.users[r]! + 1]!++;
  for (let u = 0; u < numUsers; u++) offsets[u + 1]! += offsets[u]!;
  const fill = offsets.slice(0, numUsers);
  const items = new Int32Array(seen.users.length);
  for (let r = 0; r < seen.users.length; r++) items[fill[seen.users[r]!]!++] = seen.items[r]!;
  // Csr rows are sorted; masking does not need it, but consumers of seenCsr may binary-search.
  for (let u = 0; u < numUsers; u++) items.subarray(offsets[u]!, offsets[u + 1]!).sort();
  let numCols = 0;
  for (let r = 0; r < items.length; r++) if (items[r]! >= numCols) numCols = items[r]! + 1;
  const csr: Csr = { numRows: numUsers, numCols, offsets, indices: items };
  csrCache.set(seen, csr);
  return csr;
}

/**
 * Indices of the `k` largest scores, best first; ties broken by the lower index; `NaN` and `-Infinity`
 * (masked) entries are never returned. O(n) for small `k` (a bounded insertion list).
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

/**
 * Top-K recommendations for many users (external ids in and out), scored with the model's `scoreAll`
 * in blocks of users. Seen items are excluded by default; unknown users or candidate items throw
 * {@link UnknownIdError}.
 */
export function recommendBatch(
  model: Recommender,
  users: readonly ExternalId[],
  options: RecommendOptions = {},
): Recommendation[] {
  const k = options.k ?? RECOMMEND_DEFAULTS.k;
  const excludeSeen = options.excludeSeen ?? RECOMMEND_DEFAULTS.excludeSeen;
  const batchUsers = options.batchUsers ?? RECOMMEND_DEFAULTS.batchUsers;
  if (!Number.isInteger(k) || k < 1) throw new ConfigError(`k must be an integer ≥ 1, got ${k}`, 'k');
  if (!Number.isInteger(batchUsers) || batchUsers < 1) {
    throw new ConfigError(`batchUsers must be an integer ≥ 1, got ${batchUsers}`, 'batchUsers');
  }
  const { info } = model;
  const numItems = info.numItems;
  if (excludeSeen && !options.seen) {
    throw new ConfigError(
      'excludeSeen is on (the default) but no `seen` items were given; pass seen or excludeSeen: false',
      'seen',
    );
  }
  const seen = excludeSeen && options.seen ? seenCsr(options.seen, info.numUsers) : undefined;
  const dense = Int32Array.from(users, (u) => indexOf(info.userIds, info.numUsers, u, 'user'));
  let allowed: Uint8Array | undefined;
  if (options.candidates) {
    allowed = new Uint8Array(numItems);
    for (const c of options.candidates) allowed[indexOf(info.itemIds, numItems, c, 'item')] = 1;
  }
  const out: Recommendation[] = [];
  for (let start = 0; start < dense.length; start += batchUsers) {
    const block = dense.subarray(start, Math.min(dense.length, start + batchUsers));
    const scores = scoreBlock(model, block);
    for (let b = 0; b < block.length; b++) {
      const row = scores.subarray(b * numItems, (b + 1) * numItems);
      if (allowed) for (let i = 0; i < numItems; i++) if (allowed[i] === 0) row[i] = -Infinity;
      if (seen) {
        const u = block[b]!;
        for (let p = seen.offsets[u]!; p < seen.offsets[u + 1]!; p++) row[seen.indices[p]!] = -Infinity;
      }
      const top = topK(row, k);
      out.push({
        user: users[start + b]!,
        items: Array.from(top, (i) => externalId(info.itemIds, i)),
        itemIndices: top,
        scores: Float32Array.from(top, (i) => row[i]!),
      });
    }
  }
  return out;
}

/** Top-K recommendations for one user; see {@link recommendBatch}. */
export function recommend(
  model: Recommender,
  user: ExternalId,
  options: RecommendOptions = {},
): Recommendation {
  return recommendBatch(model, [user], options)[0]!;
}

function scoreBlock(model: Recommender, users: Int32Array): Float32Array {
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
