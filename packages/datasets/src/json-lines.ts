import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DataError, throwIfAborted } from '@ncf/core/base';
import type { ExternalId } from './id-map.js';
import { IdMap } from './id-map.js';
import type { Interactions } from './interactions.js';
import { interactionsFromArrays } from './interactions.js';
import type { ParseProblem, ParseReport } from './parse-report.js';
import { MAX_REPORTED_PROBLEMS } from './parse-report.js';

/** Options of {@link readJsonLines} / {@link parseJsonLines}. */
export interface JsonLinesOptions {
  /** Field names. Defaults `user`, `item`, `rating`, `timestamp`; rating/timestamp are used when present. */
  readonly fields?: { user?: string; item?: string; rating?: string | null; timestamp?: string | null };
  /** Existing id maps (grown with new ids unless `unknownIds` is `'error'`). Dense order: first appearance. */
  readonly userIds?: IdMap;
  readonly itemIds?: IdMap;
  readonly unknownIds?: 'add' | 'error';
  readonly ratingRange?: readonly [number, number];
  readonly skipInvalid?: boolean;
  readonly file?: string;
  readonly signal?: AbortSignal;
}

/**
 * Incremental JSON-lines reader: one object per line, e.g. `{"user":"u1","item":42,"rating":4,"timestamp":9}`.
 * Each line is parsed and its values copied into growing typed arrays right away, so the transient object is
 * garbage at once (memory stays near the columns' size). The first line decides whether ratings and timestamps
 * are present; later lines must agree. Slower than {@link readDelimited} (JSON.parse per line).
 */
export class JsonLinesReader {
  private readonly o: JsonLinesOptions;
  private readonly f: {
    user: string;
    item: string;
    rating: string | null | undefined;
    timestamp: string | null | undefined;
  };
  private cap = 1 << 14;
  private n = 0;
  private users = new Int32Array(this.cap);
  private items = new Int32Array(this.cap);
  private ratings: Float32Array | undefined;
  private timestamps: Float64Array | undefined;
  private decided = false;
  private lineNo = 0;
  private blank = 0;
  private skipped = 0;
  private readonly problems: ParseProblem[] = [];
  readonly userIds: IdMap;
  readonly itemIds: IdMap;

  constructor(options: JsonLinesOptions = {}) {
    this.o = options;
    const f = options.fields ?? {};
    this.f = { user: f.user ?? 'user', item: f.item ?? 'item', rating: f.rating, timestamp: f.timestamp };
    this.userIds = options.userIds ?? new IdMap('user');
    this.itemIds = options.itemIds ?? new IdMap('item');
  }

  private get file(): string {
    return this.o.file ?? '<input>';
  }

  /** Parses one line (without its newline). */
  line(text: string): void {
    this.lineNo++;
    if (text.trim() === '') {
      this.blank++;
      return;
    }
    try {
      this.row(text);
    } catch (e) {
      if (!(e instanceof LineProblem)) throw e;
      const message =
        `${e.message}; expected a JSON object with "${this.f.user}" and "${this.f.item}" ids` +
        `${this.ratings ? ` and a numeric "${this.f.rating ?? 'rating'}"` : ''}`;
      if (!this.o.skipInvalid) throw new DataError(message, { file: this.file, line: this.lineNo });
      this.skipped++;
      if (this.problems.length < MAX_REPORTED_PROBLEMS) this.problems.push({ line: this.lineNo, message });
    }
  }

  private row(text: string): void {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw new LineProblem(`invalid JSON (${(e as Error).message})`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
      throw new LineProblem('not a JSON object');
    const rec = obj as Record<string, unknown>;
    if (!this.decided) {
      this.decided = true;
      const rf = this.f.rating === undefined ? ('rating' in rec ? 'rating' : null) : this.f.rating;
      const tf =
        this.f.timestamp === undefined ? ('timestamp' in rec ? 'timestamp' : null) : this.f.timestamp;
      this.f.rating = rf;
      this.f.timestamp = tf;
      if (rf) this.ratings = new Float32Array(this.cap);
      if (tf) this.timestamps = new Float64Array(this.cap);
    }
    const id = (name: string, map: IdMap): number => {
      const v = rec[name];
      if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string' || v === '') {
        throw new LineProblem(`"${name}" is ${JSON.stringify(v)}; not an id`);
      }
      let k = map.indexOf(v as ExternalId);
      if (k < 0) {
        if (this.o.unknownIds === 'error')
          throw new LineProblem(`${map.kind} id ${JSON.stringify(v)} is not in the id map`);
        try {
          k = map.add(v as ExternalId);
        } catch (e) {
          throw new LineProblem((e as Error).message);
        }
      }
      return k;
    };
    const num = (name: string): number => {
      const v = rec[name];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new LineProblem(`"${name}" is ${JSON.stringify(v)}; not a finite number`);
      return v;
    };
    const r = this.f.rating ? num(this.f.rating) : 0;
    const range = this.o.ratingRange;
    if (range && this.f.rating && (r < range[0] || r > range[1]))
      throw new LineProblem(`rating ${r} is outside [${range[0]}, ${range[1]}]`);
    const t = this.f.timestamp ? num(this.f.timestamp) : 0;
    const u = id(this.f.user, this.userIds);
    const i = id(this.f.item, this.itemIds);
    if (this.n === this.cap) this.grow();
    this.users[this.n] = u;
    this.items[this.n] = i;
    if (this.ratings) this.ratings[this.n] = r;
    if (this.timestamps) this.timestamps[this.n] = t;
    this.n++;
  }

  private grow(): void {
    this.cap *= 2;
    const g = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.cap);
      b.set(a);
      return b;
    };
    this.users = g(this.users);
    this.items = g(this.items);
    if (this.ratings) this.ratings = g(this.ratings);
    if (this.timestamps) this.timestamps = g(this.timestamps);
  }

  /** The interactions and report. Throws {@link DataError} when no row was read. */
  finish(): { interactions: Interactions; report: ParseReport } {
    if (this.n === 0) {
      throw new DataError(
        `${this.skipped > 0 ? `all ${this.skipped} lines were invalid` : 'the input is empty'}; expected one JSON object per line`,
        { file: this.file },
      );
    }
    const n = this.n;
    const interactions = interactionsFromArrays(
      {
        users: this.users.subarray(0, n),
        items: this.items.subarray(0, n),
        ratings: this.ratings?.subarray(0, n),
        timestamps: this.timestamps?.subarray(0, n),
      },
      { userIds: this.userIds, itemIds: this.itemIds, trusted: true },
    );
    return {
      interactions,
      report: {
        file: this.file,
        lines: this.lineNo,
        rows: n,
        skipped: this.skipped,
        blankLines: this.blank,
        header: undefined,
        problems: this.problems.slice(),
      },
    };
  }
}

class LineProblem extends Error {}

/** Parses JSON lines held in memory. */
export function parseJsonLines(
  text: string,
  options: JsonLinesOptions = {},
): { interactions: Interactions; report: ParseReport } {
  const reader = new JsonLinesReader(options);
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const l of lines) reader.line(l.endsWith('\r') ? l.slice(0, -1) : l);
  return reader.finish();
}

/** Streams a JSON-lines file line by line into {@link Interactions}. */
export async function readJsonLines(
  path: string,
  options: JsonLinesOptions = {},
): Promise<{ interactions: Interactions; report: ParseReport }> {
  const reader = new JsonLinesReader({ file: path, ...options });
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let k = 0;
  for await (const line of rl) {
    if ((++k & 0xffff) === 0) throwIfAborted(options.signal);
    reader.line(line);
  }
  return reader.finish();
}
