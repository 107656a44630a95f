import { open } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { ConfigError, DataError, throwIfAborted } from '@ncf/core/base';
import { IdMap } from './id-map.js';
import type { Interactions } from './interactions.js';
import { interactionsFromArrays } from './interactions.js';
import type { ParseProblem, ParseReport } from './parse-report.js';
import { MAX_REPORTED_PROBLEMS } from './parse-report.js';

/** A column given by 0-based position or by header name. */
export type ColumnRef = number | string;

/** Which input column holds what. `null` drops an optional column. */
export interface ColumnMapping {
  readonly user?: ColumnRef;
  readonly item?: ColumnRef;
  /** Default: column 2 when lines have more than 2 fields. */
  readonly rating?: ColumnRef | null;
  /** Default: column 3 when lines have more than 3 fields. */
  readonly timestamp?: ColumnRef | null;
}

/** Options of the delimited-text parser ({@link readDelimited}, {@link parseDelimited}, {@link DelimitedParser}). */
export interface DelimitedOptions {
  /** Field separator: `','` (CSV), `'\t'` (TSV), `'::'` (MovieLens .dat) or any other string. Default `','`. */
  readonly delimiter?: string;
  /**
   * Whether the first non-blank line is a header. `'auto'` (default): a header when one of the numeric fields
   * of the first line does not parse as a number.
   */
  readonly header?: boolean | 'auto';
  /** Column mapping; default user 0, item 1, rating 2, timestamp 3 (when the lines have that many fields). */
  readonly columns?: ColumnMapping;
  /**
   * `'number'` (default): ids are integers in int32 range; dense indices follow ascending id order.
   * `'string'`: ids are any text; dense indices follow order of first appearance.
   */
  readonly idType?: 'number' | 'string';
  /** Text encoding of string ids: `'utf8'` (default) or `'latin1'`. */
  readonly encoding?: 'utf8' | 'latin1';
  /** Existing id maps to index through (e.g. the training set's, or one holding cold-start items). */
  readonly userIds?: IdMap;
  readonly itemIds?: IdMap;
  /** An id missing from a given id map is added (default) or is an error. */
  readonly unknownIds?: 'add' | 'error';
  /** Inclusive valid rating range, e.g. `[0.5, 5]`; ratings outside are invalid. Default: any finite number. */
  readonly ratingRange?: readonly [number, number];
  /** Skip invalid lines and count them in the report instead of throwing. Default `false`. */
  readonly skipInvalid?: boolean;
  /** Name used in errors and the report (defaults to the path, or `'<input>'`). */
  readonly file?: string;
  /** Expected number of rows, to size the arrays once (optional; files estimate it from their size). */
  readonly expectedRows?: number;
  /** Stops reading when aborted (`AbortError` from `@ncf/core/base`). */
  readonly signal?: AbortSignal;
}

/** Defaults of {@link DelimitedOptions}. */
export const DELIMITED_DEFAULTS = {
  delimiter: ',',
  header: 'auto',
  idType: 'number',
  encoding: 'utf8',
  unknownIds: 'add',
  skipInvalid: false,
} as const;

/** Interactions plus the report of what was read. */
export interface ParseResult {
  readonly interactions: Interactions;
  readonly report: ParseReport;
}

const ROLE_IGNORE = 0;
const ROLE_USER = 1;
const ROLE_ITEM = 2;
const ROLE_RATING = 3;
const ROLE_TS = 4;
const MAX_FIELDS = 256;
const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

const EMPTY_F32 = new Float32Array(0);
const EMPTY_F64 = new Float64Array(0);

/** Thrown internally for one bad line; converted to DataError or a skip. */
class LineError extends Error {}

/**
 * Streaming parser of delimited interaction text. Push byte chunks of any size; bytes are parsed directly
 * into growing typed arrays (no per-row objects, no per-line strings for numeric ids), so memory stays near
 * the size of the columns. A class because it holds parsing state between chunks.
 */
export class DelimitedParser {
  private readonly o: Required<
    Pick<DelimitedOptions, 'delimiter' | 'idType' | 'encoding' | 'unknownIds' | 'skipInvalid'>
  > &
    DelimitedOptions;
  private readonly fileName: string;
  private readonly delim: Uint8Array;
  private readonly decoder: TextDecoder;
  // columns
  private cap: number;
  private n = 0;
  private users: Int32Array;
  private items: Int32Array;
  private ratings: Float32Array | undefined;
  private timestamps: Float64Array | undefined;
  // line state
  private lineNo = 0;
  private blank = 0;
  private skipped = 0;
  private readonly problems: ParseProblem[] = [];
  private carry: Uint8Array | undefined;
  private started = false;
  private headerFields: string[] | undefined;
  private nFields = -1;
  private roles = new Uint8Array(0);
  private hasRating = false;
  private hasTs = false;
  private readonly fs = new Int32Array(MAX_FIELDS + 1);
  private readonly fe = new Int32Array(MAX_FIELDS + 1);
  private readonly userMap: IdMap | undefined;
  private readonly itemMap: IdMap | undefined;
  private finished = false;

  constructor(options: DelimitedOptions = {}) {
    this.o = { ...DELIMITED_DEFAULTS, ...options };
    const { delimiter, encoding, idType } = this.o;
    if (typeof delimiter !== 'string' || delimiter.length === 0 || /[\r\n"]/.test(delimiter)) {
      throw new ConfigError(
        `delimiter must be a non-empty string without quotes or line breaks, got ${JSON.stringify(delimiter)}`,
        'delimiter',
      );
    }
    if (encoding !== 'utf8' && encoding !== 'latin1') {
      throw new ConfigError(
        `unknown encoding ${JSON.stringify(encoding)}; expected 'utf8' or 'latin1'`,
        'encoding',
      );
    }
    if (idType !== 'number' && idType !== 'string') {
      throw new ConfigError(`idType must be 'number' or 'string', got ${JSON.stringify(idType)}`, 'idType');
    }
    this.delim = new TextEncoder().encode(delimiter);
    this.decoder = new TextDecoder(encoding === 'latin1' ? 'latin1' : 'utf-8');
    this.fileName = this.o.file ?? '<input>';
    this.cap = Math.max(1024, Math.floor(this.o.expectedRows ?? 1 << 16));
    this.users = new Int32Array(this.cap);
    this.items = new Int32Array(this.cap);
    if (idType === 'string') {
      this.userMap = this.o.userIds ?? new IdMap('user');
      this.itemMap = this.o.itemIds ?? new IdMap('item');
    }
  }

  /** Rows parsed so far. */
  get rows(): number {
    return this.n;
  }

  /** Bytes per line seen so far (for capacity estimates), or 0. */
  private bytesSeen = 0;

  /** Resizes the columns to hold about `rows` rows (never below what is already parsed). */
  reserve(rows: number): void {
    if (rows > this.cap) this.grow(rows);
  }

  /** Average line length so far (bytes), or 0 before the first line. */
  averageLineBytes(): number {
    return this.lineNo > 0 ? this.bytesSeen / this.lineNo : 0;
  }

  /** Parses one chunk. Chunks may split lines anywhere; the chunk is not retained. */
  push(chunk: Uint8Array): void {
    if (this.finished) throw new ConfigError('push() after finish()');
    const buf = chunk;
    let pos = 0;
    if (!this.started) {
      this.started = true;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
      else if (
        buf.length >= 2 &&
        ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))
      ) {
        throw new DataError('the text is UTF-16 encoded; expected UTF-8, ASCII or Latin-1', {
          file: this.fileName,
          line: 1,
        });
      }
    }
    if (this.carry) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) {
        const joined = new Uint8Array(this.carry.length + buf.length - pos);
        joined.set(this.carry);
        joined.set(buf.subarray(pos), this.carry.length);
        this.carry = joined;
        return;
      }
      const joined = new Uint8Array(this.carry.length + nl - pos);
      joined.set(this.carry);
      joined.set(buf.subarray(pos, nl), this.carry.length);
      this.carry = undefined;
      this.line(joined, 0, joined.length);
      pos = nl + 1;
    }
    if (this.nFields < 0) {
      // header / first line decide the columns
      const nl = buf.indexOf(10, pos);
      if (nl >= 0) {
        this.line(buf, pos, nl);
        pos = nl + 1;
      }
    }
    if (this.nFields >= 0 && this.fastPath) pos = this.fast(buf, pos);
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      this.line(buf, pos, nl);
      pos = nl + 1;
    }
    if (pos < buf.length) this.carry = new Uint8Array(buf.subarray(pos)); // a copy: callers reuse chunks
  }

  /** Ends the input and returns the interactions and report. Throws {@link DataError} when no row was read. */
  finish(): ParseResult {
    if (this.finished) throw new ConfigError('finish() called twice');
    if (this.carry) {
      const c = this.carry;
      this.carry = undefined;
      this.line(c, 0, c.length);
    }
    this.finished = true;
    const report = (): ParseReport => ({
      file: this.fileName,
      lines: this.lineNo,
      rows: this.n,
      skipped: this.skipped,
      blankLines: this.blank,
      header: this.headerFields,
      problems: this.problems.slice(),
    });
    if (this.n === 0) {
      const why =
        this.lineNo === 0 || this.lineNo === this.blank
          ? 'the input is empty'
          : this.skipped > 0
            ? `all ${this.skipped} data lines were invalid (first: line ${this.problems[0]?.line}: ${this.problems[0]?.message})`
            : 'the input has no data lines';
      throw new DataError(`${why}; expected lines of the form ${this.expectedForm()}`, {
        file: this.fileName,
      });
    }
    const n = this.n;
    const users = this.users.subarray(0, n);
    const items = this.items.subarray(0, n);
    let userIds: IdMap;
    let itemIds: IdMap;
    if (this.o.idType === 'string') {
      userIds = this.userMap as IdMap;
      itemIds = this.itemMap as IdMap;
    } else {
      userIds = densify(users, this.o.userIds ?? new IdMap('user'), this.o.unknownIds, this.fileName);
      itemIds = densify(items, this.o.itemIds ?? new IdMap('item'), this.o.unknownIds, this.fileName);
    }
    const interactions = interactionsFromArrays(
      {
        users,
        items,
        ratings: this.ratings?.subarray(0, n),
        timestamps: this.timestamps?.subarray(0, n),
      },
      { userIds, itemIds, trusted: true },
    );
    return { interactions, report: report() };
  }

  private grow(min: number): void {
    const cap = Math.max(min, Math.ceil(this.cap * 1.5));
    const g32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.users = g32(this.users);
    this.items = g32(this.items);
    if (this.ratings) {
      const b = new Float32Array(cap);
      b.set(this.ratings.subarray(0, this.n));
      this.ratings = b;
    }
    if (this.timestamps) {
      const b = new Float64Array(cap);
      b.set(this.timestamps.subarray(0, this.n));
      this.timestamps = b;
    }
    this.cap = cap;
  }

  private expectedForm(): string {
    const d = this.o.delimiter === '\t' ? '<TAB>' : this.o.delimiter;
    const id = this.o.idType === 'number' ? 'int32' : 'text';
    if (this.nFields < 0) return `user${d}item[${d}rating[${d}timestamp]] (ids: ${id})`;
    const parts: string[] = [];
    for (let f = 0; f < this.nFields; f++) {
      const r = this.roles[f];
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
    return `${this.nFields} fields ${parts.join(d)}`;
  }

  /** Whether the byte-level fast path applies (numeric ids, one-byte delimiter that cannot start a number). */
  private get fastPath(): boolean {
    const d = this.delim;
    return this.o.idType === 'number' && d.length === 1 && !/[0-9.+\-eE ]/.test(this.o.delimiter);
  }

  /**
   * Fast path over whole lines of `buf` from `pos`: fields are parsed as they are scanned, straight into the
   * columns. Any line it does not fully understand (quotes, CR, exponents, errors, long numbers) goes to the
   * general {@link DelimitedParser.line} path, which gives the same result or the precise error. Returns the
   * start of the trailing partial line.
   */
  private fast(buf: Uint8Array, pos: number): number {
    const len = buf.length;
    const roles = this.roles;
    const last = roles.length - 1;
    const d0 = this.delim[0] as number;
    const range = this.o.ratingRange;
    const rMin = range ? range[0] : -Infinity;
    const rMax = range ? range[1] : Infinity;
    const hasRating = this.hasRating;
    const hasTs = this.hasTs;
    let n = this.n;
    let lines = 0;
    let fastBytes = 0;
    let cap = this.cap;
    let users = this.users;
    let items = this.items;
    let ratings = this.ratings ?? EMPTY_F32;
    let timestamps = this.timestamps ?? EMPTY_F64;
    while (pos < len) {
      if (n >= cap) {
        this.n = n;
        this.grow(n + 1);
        cap = this.cap;
        users = this.users;
        items = this.items;
        ratings = this.ratings ?? EMPTY_F32;
        timestamps = this.timestamps ?? EMPTY_F64;
      }
      let p = pos;
      let f = 0;
      let u = 0;
      let it = 0;
      let r = 0;
      let t = 0;
      let ok = false;
      for (;;) {
        const role = roles[f];
        let c = buf[p] as number;
        if (role === ROLE_IGNORE) {
          while (p < len && c !== d0 && c !== 10) c = buf[++p] as number;
        } else {
          let neg = false;
          if (c === 45) {
            neg = true;
            c = buf[++p] as number;
          }
          let mant = 0;
          let digits = 0;
          let frac = -1;
          for (;;) {
            if (c >= 48 && c <= 57) {
              mant = mant * 10 + (c - 48);
              digits++;
              if (frac >= 0) frac++;
            } else if (c === 46 && frac < 0) frac = 0;
            else break;
            c = buf[++p] as number;
          }
          if (digits === 0 || digits > 15 || frac === 0) break;
          if (role === ROLE_USER || role === ROLE_ITEM) {
            if (frac > 0) break;
            const v = neg ? -mant : mant;
            if (v > INT32_MAX || v < INT32_MIN) break;
            if (role === ROLE_USER) u = v;
            else it = v;
          } else {
            let v = frac > 0 ? mant / (POW10[frac] as number) : mant;
            if (neg) v = -v;
            if (role === ROLE_RATING) {
              if (v < rMin || v > rMax) break;
              r = v;
            } else t = v;
          }
        }
        if (p >= len) break;
        if (c === d0) {
          if (f === last) break;
          f++;
          p++;
          continue;
        }
        if (c === 10 && f === last) ok = true;
        break;
      }
      if (ok) {
        users[n] = u;
        items[n] = it;
        if (hasRating) ratings[n] = r;
        if (hasTs) timestamps[n] = t;
        n++;
        lines++;
        fastBytes += p + 1 - pos;
        pos = p + 1;
        continue;
      }
      // general path for this line (or stop at a partial line)
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      this.n = n;
      this.lineNo += lines;
      lines = 0;
      this.line(buf, pos, nl);
      n = this.n;
      cap = this.cap;
      users = this.users;
      items = this.items;
      ratings = this.ratings ?? EMPTY_F32;
      timestamps = this.timestamps ?? EMPTY_F64;
      pos = nl + 1;
    }
    this.n = n;
    this.lineNo += lines;
    this.bytesSeen += fastBytes;
    return pos;
  }

  /** Splits `buf[start,end)` into fields; returns the field count. Quoted fields (`"..."`) keep delimiters. */
  private split(buf: Uint8Array, start: number, end: number): number {
    const fs = this.fs;
    const fe = this.fe;
    const delim = this.delim;
    const d0 = delim[0] as number;
    const dl = delim.length;
    let count = 0;
    let p = start;
    for (;;) {
      if (count >= MAX_FIELDS) throw new LineError(`more than ${MAX_FIELDS} fields`);
      if (p < end && buf[p] === 34) {
        // quoted field
        let q = p + 1;
        for (;;) {
          if (q >= end) throw new LineError('unterminated quoted field');
          if (buf[q] === 34) {
            if (q + 1 < end && buf[q + 1] === 34) q += 2;
            else break;
          } else q++;
        }
        fs[count] = p;
        fe[count] = q + 1;
        count++;
        p = q + 1;
        if (p >= end) return count;
        if (!matches(buf, p, delim)) throw new LineError('text after a closing quote');
        p += dl;
        continue;
      }
      fs[count] = p;
      if (dl === 1) {
        while (p < end && buf[p] !== d0) p++;
      } else {
        while (p < end && !(buf[p] === d0 && matches(buf, p, delim))) p++;
      }
      fe[count] = p;
      count++;
      if (p >= end) return count;
      p += dl;
    }
  }

  private text(buf: Uint8Array, s: number, e: number): string {
    if (e - s >= 2 && buf[s] === 34 && buf[e - 1] === 34) {
      return this.decoder.decode(buf.subarray(s + 1, e - 1)).replaceAll('""', '"');
    }
    return this.decoder.decode(buf.subarray(s, e)).trim();
  }

  private setupColumns(buf: Uint8Array, count: number): void {
    this.nFields = count;
    const cols = this.o.columns ?? {};
    const names = this.headerFields;
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
        file: this.fileName,
        line: this.lineNo,
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
    this.roles = roles;
    this.hasRating = r >= 0;
    this.hasTs = t >= 0;
    if (this.hasRating) this.ratings = new Float32Array(this.cap);
    if (this.hasTs) this.timestamps = new Float64Array(this.cap);
    void buf;
  }

  private looksLikeHeader(buf: Uint8Array, count: number): boolean {
    // Decide with the default/explicit numeric positions, before roles are fixed.
    const cols = this.o.columns ?? {};
    const numericCols: number[] = [];
    const pos = (ref: ColumnRef | null | undefined, def: number): number =>
      ref === null ? -1 : typeof ref === 'string' ? -2 : (ref ?? def);
    const refs = [pos(cols.rating, 2), pos(cols.timestamp, 3)];
    if (this.o.idType === 'number') refs.push(pos(cols.user, 0), pos(cols.item, 1));
    if (refs.includes(-2)) return true; // names given → there must be a header
    for (const k of refs) if (k >= 0 && k < count) numericCols.push(k);
    for (const k of numericCols) {
      if (Number.isNaN(parseNumber(buf, this.fs[k] as number, this.fe[k] as number))) return true;
    }
    return false;
  }

  private line(buf: Uint8Array, start: number, end: number): void {
    this.lineNo++;
    this.bytesSeen += end - start + 1;
    if (end > start && buf[end - 1] === 13) end--;
    if (end === start) {
      this.blank++;
      return;
    }
    try {
      const count = this.split(buf, start, end);
      if (this.nFields < 0) {
        const h = this.o.header;
        const isHeader = h === true || (h === 'auto' && this.looksLikeHeader(buf, count));
        if (isHeader) {
          this.headerFields = [];
          for (let f = 0; f < count; f++)
            this.headerFields.push(this.text(buf, this.fs[f] as number, this.fe[f] as number));
          this.setupColumns(buf, count);
          return;
        }
        this.setupColumns(buf, count);
      }
      if (count !== this.nFields) throw new LineError(`has ${count} fields`);
      this.row(buf);
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      const message = `${e.message}; expected ${this.expectedForm()}`;
      if (!this.o.skipInvalid) throw new DataError(message, { file: this.fileName, line: this.lineNo });
      this.skipped++;
      if (this.problems.length < MAX_REPORTED_PROBLEMS) this.problems.push({ line: this.lineNo, message });
    }
  }

  private row(buf: Uint8Array): void {
    const roles = this.roles;
    const fs = this.fs;
    const fe = this.fe;
    let u = 0;
    let it = 0;
    let r = 0;
    let t = 0;
    let us = -1;
    let is = -1;
    const numericIds = this.o.idType === 'number';
    for (let f = 0; f < roles.length; f++) {
      const role = roles[f];
      if (role === ROLE_IGNORE) continue;
      const s = fs[f] as number;
      const e = fe[f] as number;
      if (role === ROLE_USER || role === ROLE_ITEM) {
        if (numericIds) {
          const v = parseInt32(buf, s, e);
          if (v === null) {
            throw new LineError(
              `${role === ROLE_USER ? 'user' : 'item'} id '${this.text(buf, s, e)}' is not an integer in int32 range`,
            );
          }
          if (role === ROLE_USER) u = v;
          else it = v;
        } else if (role === ROLE_USER) us = f;
        else is = f;
      } else {
        const v = parseNumber(buf, s, e);
        if (!Number.isFinite(v)) {
          throw new LineError(
            `${role === ROLE_RATING ? 'rating' : 'timestamp'} '${this.text(buf, s, e)}' is not a finite number`,
          );
        }
        if (role === ROLE_RATING) {
          const range = this.o.ratingRange;
          if (range && (v < range[0] || v > range[1])) {
            throw new LineError(`rating ${v} is outside [${range[0]}, ${range[1]}]`);
          }
          r = v;
        } else t = v;
      }
    }
    if (!numericIds) {
      u = this.stringId(this.userMap as IdMap, buf, us, 'user');
      it = this.stringId(this.itemMap as IdMap, buf, is, 'item');
    }
    const k = this.n;
    if (k >= this.cap) this.grow(k + 1);
    this.users[k] = u;
    this.items[k] = it;
    if (this.hasRating) (this.ratings as Float32Array)[k] = r;
    if (this.hasTs) (this.timestamps as Float64Array)[k] = t;
    this.n = k + 1;
  }

  private stringId(map: IdMap, buf: Uint8Array, f: number, kind: string): number {
    const id = this.text(buf, this.fs[f] as number, this.fe[f] as number);
    if (id.length === 0) throw new LineError(`${kind} id is empty`);
    const k = map.indexOf(id);
    if (k >= 0) return k;
    if (this.o.unknownIds === 'error')
      throw new LineError(`${kind} id ${JSON.stringify(id)} is not in the given id map`);
    return map.add(id);
  }
}

function matches(buf: Uint8Array, p: number, delim: Uint8Array): boolean {
  if (p + delim.length > buf.length) return false;
  for (let j = 0; j < delim.length; j++) if (buf[p + j] !== delim[j]) return false;
  return true;
}

/** Parses an optionally signed decimal integer in int32 range (spaces and quotes around allowed); null otherwise. */
function parseInt32(buf: Uint8Array, s: number, e: number): number | null {
  while (s < e && buf[s] === 32) s++;
  while (e > s && buf[e - 1] === 32) e--;
  if (e - s >= 2 && buf[s] === 34 && buf[e - 1] === 34) {
    s++;
    e--;
  }
  if (s >= e) return null;
  let neg = false;
  if (buf[s] === 45) {
    neg = true;
    s++;
  } else if (buf[s] === 43) s++;
  if (s >= e || e - s > 10) return null;
  let v = 0;
  for (let p = s; p < e; p++) {
    const c = (buf[p] as number) - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  if (neg) v = -v;
  if (v > INT32_MAX || v < INT32_MIN) return null;
  return v;
}

/** Parses a decimal number (`-12`, `3.5`, `1e3`); NaN when the bytes are not one. Never allocates on the fast path. */
export function parseNumber(buf: Uint8Array, s: number, e: number): number {
  while (s < e && buf[s] === 32) s++;
  while (e > s && buf[e - 1] === 32) e--;
  if (e - s >= 2 && buf[s] === 34 && buf[e - 1] === 34) {
    s++;
    e--;
  }
  if (s >= e) return NaN;
  const start = s;
  let neg = false;
  if (buf[s] === 45) {
    neg = true;
    s++;
  } else if (buf[s] === 43) s++;
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let p = s;
  for (; p < e; p++) {
    const c = (buf[p] as number) - 48;
    if (c < 0 || c > 9) break;
    mant = mant * 10 + c;
    digits++;
  }
  if (p < e && buf[p] === 46) {
    p++;
    for (; p < e; p++) {
      const c = (buf[p] as number) - 48;
      if (c < 0 || c > 9) break;
      mant = mant * 10 + c;
      digits++;
      frac++;
    }
  }
  if (digits === 0) return NaN;
  if (p < e) {
    if (buf[p] !== 101 && buf[p] !== 69) return NaN;
    // exponent: rare, use the exact library conversion
    let str = '';
    for (let q = start; q < e; q++) str += String.fromCharCode(buf[q] as number);
    const v = Number(str);
    return v;
  }
  if (digits > 15 || frac > 22) {
    let str = '';
    for (let q = start; q < e; q++) str += String.fromCharCode(buf[q] as number);
    return Number(str);
  }
  const v = frac === 0 ? mant : mant / (POW10[frac] as number);
  return neg ? -v : v;
}

/**
 * Replaces raw numeric ids in `ids` (in place) by dense indices. Ids already in `map` keep their index; new
 * ids are added in ascending order (or rejected when `unknown` is `'error'`).
 */
function densify(ids: Int32Array, map: IdMap, unknown: 'add' | 'error', file: string): IdMap {
  const n = ids.length;
  let min = INT32_MAX;
  let max = INT32_MIN;
  for (let i = 0; i < n; i++) {
    const v = ids[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const assign = (v: number): number => {
    let k = map.indexOf(v);
    if (k < 0) {
      if (unknown === 'error')
        throw new DataError(`${map.kind} id ${v} is not in the given id map`, { file });
      k = map.add(v);
    }
    return k;
  };
  const range = max - min + 1;
  if (range <= Math.max(1 << 22, 2 * n)) {
    const table = new Int32Array(range).fill(-1);
    for (let i = 0; i < n; i++) table[(ids[i] as number) - min] = 0;
    for (let j = 0; j < range; j++) if (table[j] === 0) table[j] = assign(j + min);
    for (let i = 0; i < n; i++) ids[i] = table[(ids[i] as number) - min] as number;
    return map;
  }
  const sorted = Int32Array.from(ids).sort();
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i] as number;
  const uniq = sorted.subarray(0, m);
  const dense = new Int32Array(m);
  for (let j = 0; j < m; j++) dense[j] = assign(uniq[j] as number);
  for (let i = 0; i < n; i++) {
    const v = ids[i] as number;
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((uniq[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    ids[i] = dense[lo] as number;
  }
  return map;
}

/** Parses delimited text held in memory (e.g. a file extracted from a zip). See {@link DelimitedOptions}. */
export function parseDelimited(bytes: Uint8Array | string, options: DelimitedOptions = {}): ParseResult {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const parser = new DelimitedParser(options);
  const step = 1 << 24;
  for (let p = 0; p < data.length; p += step) {
    throwIfAborted(options.signal);
    parser.push(data.subarray(p, Math.min(data.length, p + step)));
  }
  return parser.finish();
}

/** Options of {@link readDelimited}: parser options plus the read chunk size. */
export interface ReadDelimitedOptions extends DelimitedOptions {
  /** Bytes read per chunk. Default 4 MiB. */
  readonly chunkBytes?: number;
}

/**
 * Streams a delimited text file (CSV, TSV, `::`) into {@link Interactions}: the file is read in chunks and
 * parsed byte by byte into typed arrays sized from the file size, so memory stays near the columns' size.
 * Bad lines throw {@link DataError} naming file, line and the expected form, or are skipped and counted with
 * `skipInvalid`.
 */
export async function readDelimited(path: string, options: ReadDelimitedOptions = {}): Promise<ParseResult> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const chunkBytes = options.chunkBytes ?? 1 << 22;
    const parser = new DelimitedParser({ file: path, ...options });
    const buf = Buffer.allocUnsafe(chunkBytes);
    let estimated = options.expectedRows !== undefined;
    let read = 0;
    for (;;) {
      throwIfAborted(options.signal);
      const { bytesRead } = await fh.read(buf, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      read += bytesRead;
      parser.push(buf.subarray(0, bytesRead));
      if (!estimated) {
        const avg = parser.averageLineBytes();
        if (avg > 0) {
          parser.reserve(Math.ceil((size / avg) * 1.02) + 1024);
          estimated = true;
        }
      }
    }
    void read;
    return parser.finish();
  } finally {
    await fh.close();
  }
}
