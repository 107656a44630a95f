import { DataError } from '@ncf/core';
import type { Batch, DatasetInfo, PairwiseBatch } from '@ncf/core';

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

/**
 * Checks a BPR training batch of graph model `kind`: pairwise, non-empty, aligned arrays, every user and
 * item a dense id of `info`. Returns it typed as a {@link PairwiseBatch}.
 *
 * @throws DataError naming the kind and what is wrong.
 */
export function checkPairwiseBatch(kind: string, batch: Batch, info: DatasetInfo): PairwiseBatch {
  if (batch.kind !== 'pairwise') {
    throw new DataError(
      `${kind} trains on 'pairwise' batches (user, positive, negative), got a '${batch.kind}' batch`,
    );
  }
  const { users, positives, negatives } = batch;
  const n = users.length;
  if (n === 0) throw new DataError(`${kind}: empty batch`);
  if (positives.length !== n || negatives.length !== n) {
    throw new DataError(
      `${kind}: batch arrays differ in length (users ${n}, positives ${positives.length}, negatives ${negatives.length})`,
    );
  }
  checkIds(users, info.numUsers, 'batch.users');
  checkIds(positives, info.numItems, 'batch.positives');
  checkIds(negatives, info.numItems, 'batch.negatives');
  return batch;
}
