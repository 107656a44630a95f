// The streaming parser of delimited interaction text. One class because it holds the parse state between
// chunks; its byte-level fast path and general path share the columns, so they stay together (~470 lines).
import { TextDecoder } from 'node:util';
import { ConfigError, DataError } from '@ncf/core/base';
import { densify } from './densify-ids.js';
import { DELIMITED_DEFAULTS, validateDelimitedOptions } from './delimited-options.js';
import type { DelimitedOptions, ParseResult } from './delimited-options.js';
import { fieldText, LineError, MAX_FIELDS, splitFields } from './delimited-tokenizer.js';
import {
  columnRoles,
  expectedForm,
  looksLikeHeader,
  ROLE_IGNORE,
  ROLE_ITEM,
  ROLE_RATING,
  ROLE_USER,
} from './header-roles.js';
import { IdMap } from './id-map.js';
import { interactionsFromArrays } from './interactions.js';
import type { ParseProblem, ParseReport } from './parse-report.js';
import { MAX_REPORTED_PROBLEMS } from './parse-report.js';
import { INT32_MAX, INT32_MIN, parseInt32, parseNumber, POW10 } from './parse-number.js';

const EMPTY_F32 = new Float32Array(0);
const EMPTY_F64 = new Float64Array(0);

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
    validateDelimitedOptions(this.o);
    const { delimiter, encoding } = this.o;
    this.delim = new TextEncoder().encode(delimiter);
    this.decoder = new TextDecoder(encoding === 'latin1' ? 'latin1' : 'utf-8');
    this.fileName = this.o.file ?? '<input>';
    this.cap = Math.max(1024, Math.floor(this.o.expectedRows ?? 1 << 16));
    this.users = new Int32Array(this.cap);
    this.items = new Int32Array(this.cap);
    if (this.o.idType === 'string') {
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
      throw new DataError(`${why}; expected lines of the form ${this.expected()}`, {
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

  private expected(): string {
    return expectedForm(this.o.delimiter, this.o.idType, this.nFields, this.roles);
  }

  private setupColumns(count: number): void {
    this.nFields = count;
    const c = columnRoles(this.o.columns ?? {}, this.headerFields, count, this.fileName, this.lineNo);
    this.roles = c.roles;
    this.hasRating = c.hasRating;
    this.hasTs = c.hasTs;
    if (this.hasRating) this.ratings = new Float32Array(this.cap);
    if (this.hasTs) this.timestamps = new Float64Array(this.cap);
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
      const count = splitFields(buf, start, end, this.delim, this.fs, this.fe);
      if (this.nFields < 0) {
        const h = this.o.header;
        const isHeader =
          h === true ||
          (h === 'auto' &&
            looksLikeHeader(buf, count, this.fs, this.fe, this.o.columns ?? {}, this.o.idType));
        if (isHeader) {
          this.headerFields = [];
          for (let f = 0; f < count; f++)
            this.headerFields.push(fieldText(this.decoder, buf, this.fs[f] as number, this.fe[f] as number));
          this.setupColumns(count);
          return;
        }
        this.setupColumns(count);
      }
      if (count !== this.nFields) throw new LineError(`has ${count} fields`);
      this.row(buf);
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      const message = `${e.message}; expected ${this.expected()}`;
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
              `${role === ROLE_USER ? 'user' : 'item'} id '${fieldText(this.decoder, buf, s, e)}' is not an integer in int32 range`,
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
            `${role === ROLE_RATING ? 'rating' : 'timestamp'} '${fieldText(this.decoder, buf, s, e)}' is not a finite number`,
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
    const id = fieldText(this.decoder, buf, this.fs[f] as number, this.fe[f] as number);
    if (id.length === 0) throw new LineError(`${kind} id is empty`);
    const k = map.indexOf(id);
    if (k >= 0) return k;
    if (this.o.unknownIds === 'error')
      throw new LineError(`${kind} id ${JSON.stringify(id)} is not in the given id map`);
    return map.add(id);
  }
}
