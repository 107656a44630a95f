import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, DataError } from '@ncf/core';
import { readDelimited, readJsonLines, type ColumnMapping, type Interactions } from '@ncf/datasets';

/** A column given by 0-based position or header name (`--user-col` etc.). */
export type ColumnName = string | number;

/** Which columns hold the four roles, as given by `--user-col`, `--item-col`, `--rating-col`, `--timestamp-col`. */
export interface FileColumns {
  readonly user?: ColumnName;
  readonly item?: ColumnName;
  readonly rating?: ColumnName;
  readonly timestamp?: ColumnName;
}

/** Formats of `--data <file>`: delimited text (CSV, TSV, `;`, `|`, `::`) or JSON lines. */
export const DATA_FILE_FORMATS = ['csv', 'tsv', 'jsonl'] as const;
/** One of {@link DATA_FILE_FORMATS}. */
export type DataFileFormat = (typeof DATA_FILE_FORMATS)[number];

/** An interactions file named by `--data <file>`, as stored in `model.json`. */
export interface DataFileSource {
  readonly source: 'file';
  /** Absolute path. */
  readonly path: string;
  readonly format: DataFileFormat;
  /** Field separator; detected from the first line when absent. */
  readonly delimiter?: string;
  /** Whether the first line is a header; detected when absent. */
  readonly header?: boolean;
  readonly columns?: FileColumns;
}

/** The format a file's extension names (`.csv`, `.tsv`/`.tab`, `.jsonl`/`.ndjson`/`.json`), else undefined. */
export function formatOfExtension(file: string): DataFileFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.txt' || ext === '.data' || ext === '.dat') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  return undefined;
}

/** Header names (lower case, spaces and `_`/`-` removed) that name each role. */
const ROLE_NAMES: Readonly<Record<keyof FileColumns, readonly string[]>> = {
  user: ['user', 'userid', 'uid', 'customer', 'customerid'],
  item: ['item', 'itemid', 'iid', 'movie', 'movieid', 'product', 'productid'],
  rating: ['rating', 'score', 'stars', 'value'],
  timestamp: ['timestamp', 'time', 'ts', 'date', 'datetime', 'unixtime'],
};

const DELIMITERS = ['\t', ',', ';', '|', '::'] as const;

const shown = (d: string): string => (d === '\t' ? 'TAB' : `'${d}'`);

function firstLines(file: string, max: number): string[] {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const lines = buf.subarray(0, n).toString('utf8').split(/\r?\n/);
    if (n === buf.length) lines.pop(); // maybe cut mid-line
    return lines.filter((l) => l.trim() !== '').slice(0, max);
  } finally {
    closeSync(fd);
  }
}

const normal = (name: string): string =>
  name
    .replace(/^"|"$/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');

/**
 * How a delimited file is read: the delimiter (given, or the one of TAB `,` `;` `|` `::` the first line has
 * most of), whether line 1 is a header, and the column of each role: `--…-col` flags first, else header
 * names mapped to roles (`user`/`userId`/`user_id`…, `item`/`movieId`…, `rating`, `timestamp`), so a header
 * `item,user,rating` reads items from column 0; without a header, positions user, item, rating, timestamp.
 */
export function sniffDelimited(spec: DataFileSource): {
  delimiter: string;
  header: boolean | 'auto';
  columns: ColumnMapping;
  idType: 'number' | 'string';
} {
  const lines = firstLines(spec.path, 200);
  if (lines.length === 0)
    throw new DataError('the file is empty; expected interactions, one a line', { file: spec.path });
  const first = lines[0]!;
  const named = spec.delimiter ?? (spec.format === 'tsv' ? '\t' : undefined);
  const delimiter =
    named ??
    [...DELIMITERS]
      .map((d) => ({ d, n: first.split(d).length - 1 }))
      .filter((c) => c.n > 0)
      .sort((a, b) => b.n - a.n || b.d.length - a.d.length)[0]?.d;
  if (delimiter === undefined || first.split(delimiter).length < 2) {
    const tried = named !== undefined ? shown(named) : DELIMITERS.map(shown).join(', ');
    throw new DataError(
      `line 1 has no field separator (tried ${tried}): expected user and item columns, e.g. user,item,rating; name the separator with --delimiter`,
      { file: spec.path, line: 1 },
    );
  }
  const fields = first.split(delimiter).map((f) => f.replace(/^"|"$/g, '').trim());
  const byName: Partial<Record<keyof FileColumns, string>> = {};
  for (const role of Object.keys(ROLE_NAMES) as (keyof FileColumns)[]) {
    const k = fields.findIndex((f) => ROLE_NAMES[role].includes(normal(f)));
    if (k >= 0) byName[role] = fields[k]!;
  }
  const given = spec.columns ?? {};
  const headerByNames = byName.user !== undefined && byName.item !== undefined;
  const givesNames = Object.values(given).some((v) => typeof v === 'string');
  const header: boolean | 'auto' = spec.header ?? (headerByNames || givesNames ? true : 'auto');
  const role = (r: keyof FileColumns, def: ColumnName | null): ColumnName | null | undefined =>
    given[r] ?? (header === true && headerByNames ? (byName[r] ?? null) : def === null ? undefined : def);
  const columns: ColumnMapping = {
    user: role('user', 0) ?? 0,
    item: role('item', 1) ?? 1,
    rating: role('rating', null),
    timestamp: role('timestamp', null),
  };
  for (const [r, v] of Object.entries(columns)) {
    if (typeof v === 'string' && !fields.includes(v)) {
      throw new ConfigError(
        `--${r === 'timestamp' ? 'timestamp' : r}-col '${v}' is not in the header of ${spec.path} (${fields.join(', ')})`,
        `${r}Col`,
      );
    }
  }
  const at = (ref: ColumnName | null | undefined, f: string[]): string | undefined =>
    typeof ref === 'number' ? f[ref] : typeof ref === 'string' ? f[fields.indexOf(ref)] : undefined;
  // An unrecognised first line may still be a header (the parser decides): the lines after it decide id types.
  const data = header === false ? lines : lines.slice(1);
  const numeric = data.every((l) => {
    const f = l.split(delimiter).map((x) => x.replace(/^"|"$/g, '').trim());
    return [at(columns.user, f), at(columns.item, f)].every((v) => v === undefined || /^-?\d{1,9}$/.test(v));
  });
  return { delimiter, header, columns, idType: numeric ? 'number' : 'string' };
}

/** Reads the interactions of `--data <file>` with @ncf/datasets' streaming parsers. */
export async function readDataFile(spec: DataFileSource, signal?: AbortSignal): Promise<Interactions> {
  if (spec.format === 'jsonl') {
    // Rating and timestamp fields are read when the first line has them; naming one makes it required.
    const c = spec.columns ?? {};
    const fields = Object.fromEntries(
      Object.entries(c)
        .filter(([, v]) => v !== undefined)
        .map(([role, v]) => [role, String(v)]),
    );
    const { interactions } = await readJsonLines(spec.path, {
      ...(Object.keys(fields).length ? { fields } : {}),
      ...(signal ? { signal } : {}),
    });
    return interactions;
  }
  const how = sniffDelimited(spec);
  const { interactions } = await readDelimited(spec.path, {
    delimiter: how.delimiter,
    header: how.header,
    columns: how.columns,
    idType: how.idType,
    ...(signal ? { signal } : {}),
  });
  return interactions;
}
