// Which field of a line is the user, item, rating or timestamp: the column mapping resolved against the
// header or positions, header detection, and the expected line form errors quote.
import { ConfigError, DataError } from '@ncf/core/base';
import type { ColumnMapping, ColumnRef } from './delimited-options.js';
import { parseNumber } from './parse-number.js';

/** Field roles (one byte per field). */
export const ROLE_IGNORE = 0;
export const ROLE_USER = 1;
export const ROLE_ITEM = 2;
export const ROLE_RATING = 3;
export const ROLE_TS = 4;

/** The roles of a line's fields and which optional columns are present. */
export interface ColumnRoles {
  readonly roles: Uint8Array<ArrayBuffer>;
  readonly hasRating: boolean;
  readonly hasTs: boolean;
}

/**
 * The role of each of `count` fields from the column mapping (positions or header `names`): ConfigError for a
 * mapping that does not fit the lines, DataError (naming `file` and `line`) when user or item is missing.
 */
export function columnRoles(
  cols: ColumnMapping,
  names: readonly string[] | undefined,
  count: number,
  file: string,
  line: number,
): ColumnRoles {
  const resolve = (ref: ColumnRef | null | undefined, def: number | null, what: string): number => {
    if (ref === null) return -1;
    if (ref === undefined) return def !== null && def < count ? def : -1;
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0 || ref >= count) {
        throw new ConfigError(
          `columns.${what} = ${ref} but lines have ${count} fields (0-based)`,
          `columns.${what}`,
        );
      }
      return ref;
    }
    if (!names)
      throw new ConfigError(
        `columns.${what} = '${ref}' names a column but the input has no header`,
        `columns.${what}`,
      );
    const k = names.indexOf(ref);
    if (k < 0)
      throw new ConfigError(
        `columns.${what} = '${ref}' is not in the header (${names.join(', ')})`,
        `columns.${what}`,
      );
    return k;
  };
  const u = resolve(cols.user, 0, 'user');
  const i = resolve(cols.item, 1, 'item');
  if (u < 0 || i < 0) {
    throw new DataError(`lines have ${count} field(s); expected at least user and item columns`, {
      file,
      line,
    });
  }
  const r = resolve(cols.rating, 2, 'rating');
  const t = resolve(cols.timestamp, 3, 'timestamp');
  const roles = new Uint8Array(count);
  const set = (k: number, role: number, what: string): void => {
    if (k < 0) return;
    if (roles[k] !== ROLE_IGNORE)
      throw new ConfigError(`column ${k} is mapped twice (again as ${what})`, 'columns');
    roles[k] = role;
  };
  set(u, ROLE_USER, 'user');
  set(i, ROLE_ITEM, 'item');
  set(r, ROLE_RATING, 'rating');
  set(t, ROLE_TS, 'timestamp');
  return { roles, hasRating: r >= 0, hasTs: t >= 0 };
}

/**
 * Whether the first line (split into `fs`/`fe`) is a header: a column the mapping names, or a numeric field that
 * does not parse as a number. Decided with the default/explicit numeric positions, before roles are fixed.
 */
export function looksLikeHeader(
  buf: Uint8Array,
  count: number,
  fs: Int32Array,
  fe: Int32Array,
  cols: ColumnMapping,
  idType: 'number' | 'string',
): boolean {
  const numericCols: number[] = [];
  const pos = (ref: ColumnRef | null | undefined, def: number): number =>
    ref === null ? -1 : typeof ref === 'string' ? -2 : (ref ?? def);
  const refs = [pos(cols.rating, 2), pos(cols.timestamp, 3)];
  if (idType === 'number') refs.push(pos(cols.user, 0), pos(cols.item, 1));
  if (refs.includes(-2)) return true; // names given → there must be a header
  for (const k of refs) if (k >= 0 && k < count) numericCols.push(k);
  for (const k of numericCols) {
    if (Number.isNaN(parseNumber(buf, fs[k] as number, fe[k] as number))) return true;
  }
  return false;
}

/** The form lines must have (for error messages), from the columns when they are known. */
export function expectedForm(
  delimiter: string,
  idType: 'number' | 'string',
  nFields: number,
  roles: Uint8Array,
): string {
  const d = delimiter === '\t' ? '<TAB>' : delimiter;
  const id = idType === 'number' ? 'int32' : 'text';
  if (nFields < 0) return `user${d}item[${d}rating[${d}timestamp]] (ids: ${id})`;
  const parts: string[] = [];
  for (let f = 0; f < nFields; f++) {
    const r = roles[f];
    parts.push(
      r === ROLE_USER
        ? `user(${id})`
        : r === ROLE_ITEM
          ? `item(${id})`
          : r === ROLE_RATING
            ? 'rating'
            : r === ROLE_TS
              ? 'timestamp'
              : '*',
    );
  }
  return `${nFields} fields ${parts.join(d)}`;
}
