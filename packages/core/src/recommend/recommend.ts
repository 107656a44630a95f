import { ConfigError } from '../errors.js';
import type { Recommender } from '../model.js';
import { MARK_EXCLUDED, createTopKWorkspace } from '../top-k.js';
import { denseIndex } from './external-ids.js';
import type { ExternalId } from './external-ids.js';
import { candidateMarks, checkK, selectRecommendations } from './ranking.js';
import { seenCsr } from './seen-items.js';
import type { SeenInput } from './seen-items.js';

/** Options of {@link recommend} and {@link recommendBatch}. */
export interface RecommendOptions {
  /** How many items to return per user. Default 10. */
  readonly k?: number;
  /** Leave out the items in `seen`. Default true (then `seen` is required). */
  readonly excludeSeen?: boolean;
  /** The users' seen items (typically the training interactions). */
  readonly seen?: SeenInput;
  /** Rank only these items (external ids); default every item. */
  readonly candidates?: readonly ExternalId[];
  /** Users scored per `scoreAll` call (bounds memory: `batchUsers × numItems` floats). Default 256. */
  readonly batchUsers?: number;
}

/** Defaults of {@link RecommendOptions}. */
export const RECOMMEND_DEFAULTS = Object.freeze({ k: 10, excludeSeen: true, batchUsers: 256 } as const);

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

/**
 * Top-K recommendations for many users (external ids in and out), scored with the model's `scoreAll`
 * (or `score` over every item) in blocks of users, for every model family. Seen items are excluded by
 * default; unknown users or candidate items throw UnknownIdError. Ties rank the lower item index first.
 */
export function recommendBatch(
  model: Recommender,
  users: readonly ExternalId[],
  options: RecommendOptions = {},
): Recommendation[] {
  const k = checkK(options.k ?? RECOMMEND_DEFAULTS.k);
  const excludeSeen = options.excludeSeen ?? RECOMMEND_DEFAULTS.excludeSeen;
  const batchUsers = options.batchUsers ?? RECOMMEND_DEFAULTS.batchUsers;
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
  const dense = Int32Array.from(users, (u) => denseIndex(info.userIds, info.numUsers, u, 'user'));
  const base = candidateMarks(model, options.candidates);
  const marks = new Uint8Array(numItems);
  const ws = createTopKWorkspace(Math.min(k, numItems));
  const out: Recommendation[] = [];
  for (let start = 0; start < dense.length; start += batchUsers) {
    const block = dense.subarray(start, Math.min(dense.length, start + batchUsers));
    const scores = scoreBlock(model, block);
    for (let b = 0; b < block.length; b++) {
      const row = scores.subarray(b * numItems, (b + 1) * numItems);
      marks.set(base);
      if (seen) {
        const u = block[b] as number;
        for (let p = seen.offsets[u] as number; p < (seen.offsets[u + 1] as number); p++) {
          marks[seen.indices[p] as number] = MARK_EXCLUDED;
        }
      }
      out.push({ user: users[start + b] as ExternalId, ...selectRecommendations(model, row, marks, ws) });
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
  return recommendBatch(model, [user], options)[0] as Recommendation;
}

function scoreBlock(model: Recommender, users: Int32Array): Float32Array {
  if (model.scoreAll) return model.scoreAll(users);
  const n = model.info.numItems;
  const u = new Int32Array(users.length * n);
  const i = new Int32Array(users.length * n);
  for (let b = 0; b < users.length; b++) {
    u.fill(users[b] as number, b * n, (b + 1) * n);
    for (let j = 0; j < n; j++) i[b * n + j] = j;
  }
  return model.score(u, i);
}
