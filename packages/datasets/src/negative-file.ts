import { readFile } from 'node:fs/promises';
import { DataError } from '@ncf/core/base';
import type { IdMap } from './id-map.js';
import type { ParseProblem } from './parse-report.js';
import { MAX_REPORTED_PROBLEMS } from './parse-report.js';

/**
 * Fixed evaluation negatives as in the NCF paper's `test.negative` files (He et al., 2017): per line
 * `(user,item)\tneg1\tneg2...`. Negatives of line `k` are `negatives[offsets[k]..offsets[k+1])`.
 */
export interface FixedNegatives {
  readonly users: Int32Array;
  readonly positives: Int32Array;
  readonly offsets: Int32Array;
  readonly negatives: Int32Array;
  readonly report: FixedNegativesReport;
}

/** Oddities found in a negatives file. Duplicates are kept (they are the published data) and reported. */
export interface FixedNegativesReport {
  readonly file: string;
  readonly lines: number;
  /** Lines that list some negative more than once. */
  readonly linesWithDuplicates: number;
  /** Extra copies over all lines. */
  readonly duplicateNegatives: number;
  /** Lines whose negatives include their own positive item. */
  readonly positiveAmongNegatives: number;
  readonly problems: readonly ParseProblem[];
}

/** Options of {@link parseFixedNegatives}. */
export interface FixedNegativesOptions {
  readonly file?: string;
  /**
   * Id maps translating the file's ids (numbers) to dense indices; without them ids are taken as dense indices
   * (the NCF files use 0-based dense ids).
   */
  readonly userIds?: IdMap;
  readonly itemIds?: IdMap;
}

const FORM = '"(user,item)<TAB>neg1<TAB>neg2..." with integer ids';

/** Parses the NCF `test.negative` format. Throws {@link DataError} naming file, line and the expected form. */
export function parseFixedNegatives(
  text: string | Uint8Array,
  options: FixedNegativesOptions = {},
): FixedNegatives {
  const file = options.file ?? '<input>';
  const s = typeof text === 'string' ? text : new TextDecoder().decode(text);
  const lines = s.split('\n');
  const users: number[] = [];
  const positives: number[] = [];
  const offsets: number[] = [0];
  const negatives: number[] = [];
  const problems: ParseProblem[] = [];
  let linesWithDuplicates = 0;
  let duplicateNegatives = 0;
  let positiveAmong = 0;
  let count = 0;
  const toIndex = (raw: string, map: IdMap | undefined, what: string, line: number): number => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new DataError(`${what} '${raw}' is not an integer id; expected ${FORM}`, { file, line });
    }
    if (!map) {
      if (v < 0) throw new DataError(`${what} ${v} is negative; expected a dense index ≥ 0`, { file, line });
      return v;
    }
    const k = map.indexOf(v);
    if (k < 0) throw new DataError(`${what} ${v} is not in the id map`, { file, line });
    return k;
  };
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    count++;
    const fields = line.split('\t');
    const m = /^\((-?\d+),(-?\d+)\)$/.exec(fields[0]!.trim());
    if (!m)
      throw new DataError(`first field '${fields[0]}' is not '(user,item)'; expected ${FORM}`, {
        file,
        line: li + 1,
      });
    const u = toIndex(m[1]!, options.userIds, 'user', li + 1);
    const p = toIndex(m[2]!, options.itemIds, 'item', li + 1);
    users.push(u);
    positives.push(p);
    const seen = new Set<number>();
    let dups = 0;
    let hasPos = false;
    for (let f = 1; f < fields.length; f++) {
      if (fields[f]!.trim() === '') continue;
      const n = toIndex(fields[f]!.trim(), options.itemIds, 'negative item', li + 1);
      if (seen.has(n)) dups++;
      seen.add(n);
      if (n === p) hasPos = true;
      negatives.push(n);
    }
    offsets.push(negatives.length);
    if (dups > 0) {
      linesWithDuplicates++;
      duplicateNegatives += dups;
      if (problems.length < MAX_REPORTED_PROBLEMS) {
        problems.push({ line: li + 1, message: `${dups} duplicate negative(s) for user ${m[1]}` });
      }
    }
    if (hasPos) {
      positiveAmong++;
      if (problems.length < MAX_REPORTED_PROBLEMS) {
        problems.push({ line: li + 1, message: `positive item ${m[2]} is listed among its negatives` });
      }
    }
  }
  if (count === 0) throw new DataError(`the input is empty; expected lines of the form ${FORM}`, { file });
  return {
    users: Int32Array.from(users),
    positives: Int32Array.from(positives),
    offsets: Int32Array.from(offsets),
    negatives: Int32Array.from(negatives),
    report: {
      file,
      lines: count,
      linesWithDuplicates,
      duplicateNegatives,
      positiveAmongNegatives: positiveAmong,
      problems,
    },
  };
}

/** Reads a `test.negative` file with {@link parseFixedNegatives}. */
export async function readFixedNegatives(
  path: string,
  options: FixedNegativesOptions = {},
): Promise<FixedNegatives> {
  return parseFixedNegatives(await readFile(path), { file: path, ...options });
}
