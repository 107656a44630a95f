import { existsSync } from 'node:fs';
import type { Interactions, ParseReport } from '@ncf/datasets';
import { IdMap, interactionsFromArrays, readDelimited } from '@ncf/datasets';
import { DataError } from '@ncf/core';
import { forEachLine, readTextFile } from './text-lines.js';

/**
 * Fixed evaluation negatives in the NCF paper's `*.test.negative` format (He et al., "Neural Collaborative
 * Filtering", WWW 2017): line `k` is `(user,item)\tneg1\t…\tnegN`, the held-out pair and its sampled
 * negatives, ids dense and 0-based.
 */
export interface NcfNegatives {
  readonly users: Int32Array;
  readonly positives: Int32Array;
  /** Negatives per line (99 in the paper's files). */
  readonly width: number;
  /** `users.length × width`, row-major. */
  readonly negatives: Int32Array;
  /** Lines where a negative repeats (reported, not dropped). */
  readonly linesWithDuplicates: number;
  /** Lines whose positive item also appears among its negatives (NCF's ml-1m file has 156). */
  readonly linesWithPositiveAmongNegatives: number;
}

/**
 * Reads a `*.test.negative` file. Every line must have the same number of negatives; a malformed pair,
 * a non-integer id or a different count is a `DataError` naming file and line. Duplicates are counted in
 * the result, not removed, so evaluations stay comparable with the paper's.
 */
export async function readNcfNegatives(path: string): Promise<NcfNegatives> {
  const text = await readTextFile(path, 'utf8');
  const users: number[] = [];
  const positives: number[] = [];
  const negatives: number[] = [];
  let width = -1;
  let linesWithDuplicates = 0;
  let linesWithPositive = 0;
  forEachLine(text, (line, n) => {
    const fields = line.split('\t');
    const m = /^\((\d+),(\d+)\)$/.exec(fields[0] as string);
    if (!m)
      throw new DataError(`first field ${JSON.stringify(fields[0])} is not '(user,item)'`, {
        file: path,
        line: n,
      });
    const count = fields.length - 1;
    if (width < 0) width = count;
    else if (count !== width)
      throw new DataError(`${count} negatives; expected ${width} like the lines before`, {
        file: path,
        line: n,
      });
    const user = Number(m[1]);
    const item = Number(m[2]);
    if (user > 2147483647 || item > 2147483647)
      throw new DataError('id overflows int32', { file: path, line: n });
    users.push(user);
    positives.push(item);
    const seen = new Set<number>();
    let dup = false;
    for (let k = 1; k <= count; k++) {
      const f = fields[k] as string;
      if (!/^\d+$/.test(f) || Number(f) > 2147483647) {
        throw new DataError(`negative ${k} ${JSON.stringify(f)} is not a non-negative int32 item id`, {
          file: path,
          line: n,
        });
      }
      const v = Number(f);
      if (seen.has(v)) dup = true;
      seen.add(v);
      negatives.push(v);
    }
    if (dup) linesWithDuplicates++;
    if (seen.has(item)) linesWithPositive++;
  });
  if (users.length === 0)
    throw new DataError("no data lines; expected '(user,item)<TAB>neg1<TAB>…'", { file: path });
  return {
    users: Int32Array.from(users),
    positives: Int32Array.from(positives),
    width,
    negatives: Int32Array.from(negatives),
    linesWithDuplicates,
    linesWithPositiveAmongNegatives: linesWithPositive,
  };
}

/** A split in the NCF file format, with dense ids equal to the files' ids (identity id maps). */
export interface NcfSplit {
  readonly train: Interactions;
  readonly test: Interactions;
  readonly negatives: NcfNegatives | undefined;
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
 * Reads `<prefix>.train.rating`, `<prefix>.test.rating` and (when present) `<prefix>.test.negative`, e.g.
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
  const negatives = existsSync(negPath) ? await readNcfNegatives(negPath) : undefined;
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
