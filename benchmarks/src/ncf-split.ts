import path from 'node:path';
import type { DatasetInfo } from '@ncf/core';
import { userItemsCsr } from '@ncf/datasets';
import type { Interactions } from '@ncf/datasets';
import { negativeListsFromFixed } from '@ncf/eval';
import type { EvalData } from '@ncf/eval';
import { readNcfSplit } from '@ncf/movielens';

/** A leave-one-out split in the NCF paper's file format, ready to train on and evaluate (both protocols). */
export interface NcfEvalSplit {
  /** `ml-100k`, `ml-1m`. */
  readonly name: string;
  /** Path prefix of the files (`<prefix>.train.rating`, `.test.rating`, `.test.negative`), for the peer. */
  readonly prefix: string;
  readonly info: DatasetInfo;
  readonly train: Interactions;
  /** Test items with their 99 fixed negatives (sampled) and the train items to mask (full ranking). */
  readonly data: EvalData;
}

/** Reads `<sharedData>/<name>-loo/<name>.*` (e.g. `ml-100k`); throws when the negatives file is missing. */
export async function loadNcfEvalSplit(sharedData: string, name: string): Promise<NcfEvalSplit> {
  const prefix = path.join(sharedData, `${name}-loo`, name);
  const split = await readNcfSplit(prefix);
  if (!split.negatives) throw new Error(`${prefix}.test.negative is missing`);
  const csr = userItemsCsr(split.train);
  const data: EvalData = {
    name: `${name}-loo test`,
    numUsers: split.numUsers,
    numItems: split.numItems,
    test: { users: split.test.users, items: split.test.items },
    exclude: { offsets: csr.offsets, items: csr.indices },
    excludeLabel: 'train',
    negatives: negativeListsFromFixed(split.negatives),
  };
  return {
    name,
    prefix,
    info: { numUsers: split.numUsers, numItems: split.numItems },
    train: split.train,
    data,
  };
}
