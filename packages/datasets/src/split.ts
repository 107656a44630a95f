import type { Interactions } from './interactions.js';
import { selectRows } from './interactions.js';

/**
 * A train/test (and optional validation) split. All parts share the full data's id maps, so indices agree
 * across parts; `*Rows` give each part's rows in the source interactions (ascending), for audits.
 */
export interface Split {
  readonly train: Interactions;
  readonly test: Interactions;
  readonly valid?: Interactions;
  readonly trainRows: Int32Array;
  readonly testRows: Int32Array;
  readonly validRows?: Int32Array;
}

/** Builds a {@link Split} from a part label per row: 0 train, 1 test, 2 valid. */
export function splitByLabel(interactions: Interactions, label: Uint8Array, withValid: boolean): Split {
  const counts = [0, 0, 0];
  for (let k = 0; k < label.length; k++) counts[label[k] as number]! += 1;
  const rows = [new Int32Array(counts[0]!), new Int32Array(counts[1]!), new Int32Array(counts[2]!)];
  const fill = [0, 0, 0];
  for (let k = 0; k < label.length; k++) {
    const l = label[k] as number;
    rows[l]![fill[l]!++] = k;
  }
  const [trainRows, testRows, validRows] = rows as [Int32Array, Int32Array, Int32Array];
  const base = {
    train: selectRows(interactions, trainRows),
    test: selectRows(interactions, testRows),
    trainRows,
    testRows,
  };
  return withValid ? { ...base, valid: selectRows(interactions, validRows), validRows } : base;
}

/** Rows of each user as CSR (rows ascending within a user). */
export function rowsByUser(interactions: Interactions): { offsets: Int32Array; rows: Int32Array } {
  const { users, numUsers, length: n } = interactions;
  const offsets = new Int32Array(numUsers + 1);
  for (let k = 0; k < n; k++) offsets[(users[k] as number) + 1]! += 1;
  for (let u = 0; u < numUsers; u++) offsets[u + 1]! += offsets[u]!;
  const cursor = offsets.slice(0, numUsers);
  const rows = new Int32Array(n);
  for (let k = 0; k < n; k++) rows[cursor[users[k] as number]!++] = k;
  return { offsets, rows };
}
