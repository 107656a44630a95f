import { existsSync } from 'node:fs';
import type { FixedNegatives, Interactions, ParseReport } from '@ncf/datasets';
import { IdMap, interactionsFromArrays, readDelimited, readFixedNegatives } from '@ncf/datasets';
import { DataError } from '@ncf/core/base';

/** A split in the NCF file format, with dense ids equal to the files' ids (identity id maps). */
export interface NcfSplit {
  readonly train: Interactions;
  readonly test: Interactions;
  /** Fixed negatives of `<prefix>.test.negative` (read by `@ncf/datasets`' `readFixedNegatives`), when present. */
  readonly negatives: FixedNegatives | undefined;
  readonly numUsers: number;
  readonly numItems: number;
  readonly reports: readonly ParseReport[];
}

/** Options of {@link readNcfSplit}. */
export interface ReadNcfSplitOptions {
  /** Number of users/items when the files do not reach the largest id (default: max id seen + 1). */
  readonly numUsers?: number;
  readonly numItems?: number;
  readonly signal?: AbortSignal;
}

/**
 * Reads the NCF paper's split files (He et al., "Neural Collaborative Filtering", WWW 2017):
 * `<prefix>.train.rating`, `<prefix>.test.rating` and (when present) `<prefix>.test.negative`, e.g.
 * `readNcfSplit('/data/ml-1m-loo/ml-1m')`. Rating files are `user\titem\trating\ttimestamp` with 0-based
 * dense ids; both sets share identity id maps sized to cover every id in all three files, so dense index =
 * file id.
 */
export async function readNcfSplit(prefix: string, options: ReadNcfSplitOptions = {}): Promise<NcfSplit> {
  const read = async (path: string) =>
    readDelimited(path, {
      delimiter: '\t',
      header: false,
      columns: { user: 0, item: 1, rating: 2, timestamp: 3 },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  const train = await read(`${prefix}.train.rating`);
  const test = await read(`${prefix}.test.rating`);
  const negPath = `${prefix}.test.negative`;
  const negatives = existsSync(negPath) ? await readFixedNegatives(negPath) : undefined;
  let maxUser = (options.numUsers ?? 0) - 1;
  let maxItem = (options.numItems ?? 0) - 1;
  for (const r of [train.interactions, test.interactions]) {
    for (const id of r.userIds.ids()) maxUser = Math.max(maxUser, id as number);
    for (const id of r.itemIds.ids()) maxItem = Math.max(maxItem, id as number);
  }
  if (negatives) {
    for (const u of negatives.users) maxUser = Math.max(maxUser, u);
    for (const i of negatives.positives) maxItem = Math.max(maxItem, i);
    for (const i of negatives.negatives) maxItem = Math.max(maxItem, i);
  }
  const numUsers = maxUser + 1;
  const numItems = maxItem + 1;
  if (options.numUsers !== undefined && numUsers > options.numUsers) {
    throw new DataError(`user id ${maxUser} ≥ numUsers ${options.numUsers}`, { file: prefix });
  }
  if (options.numItems !== undefined && numItems > options.numItems) {
    throw new DataError(`item id ${maxItem} ≥ numItems ${options.numItems}`, { file: prefix });
  }
  const userIds = IdMap.identity(numUsers, 'user');
  const itemIds = IdMap.identity(numItems, 'item');
  const toIdentity = (x: Interactions): Interactions => {
    const ue = Int32Array.from(x.userIds.ids() as number[]);
    const ie = Int32Array.from(x.itemIds.ids() as number[]);
    const users = new Int32Array(x.length);
    const items = new Int32Array(x.length);
    for (let k = 0; k < x.length; k++) {
      users[k] = ue[x.users[k] as number] as number;
      items[k] = ie[x.items[k] as number] as number;
    }
    return interactionsFromArrays(
      { users, items, ratings: x.ratings, timestamps: x.timestamps },
      { userIds, itemIds, trusted: true },
    );
  };
  return {
    train: toIdentity(train.interactions),
    test: toIdentity(test.interactions),
    negatives,
    numUsers,
    numItems,
    reports: [train.report, test.report],
  };
}
