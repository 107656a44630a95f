import type { ExternalId } from '@ncf/core';
import type { CliIo } from '../cli-io.js';

/** A ranked list to print: external ids, dense indices (for titles) and scores, best first. */
export interface Ranking {
  readonly heading: string;
  readonly items: readonly ExternalId[];
  readonly itemIndices: Int32Array;
  readonly scores: Float32Array;
  /** Titles by dense item index, when the data has them. */
  readonly titles: readonly string[] | undefined;
  /** Print one JSON document (`{...extra, items: [{rank, item, score, title?}]}`) instead of the table. */
  readonly json: boolean | undefined;
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Prints a ranking as an aligned table (rank, item, score, title) or, with `json`, as one JSON line. */
export function printRanking(io: CliIo, r: Ranking): void {
  const title = (i: number): string | undefined => r.titles?.[r.itemIndices[i]!];
  if (r.json) {
    const items = r.items.map((item, i) => ({
      rank: i + 1,
      item,
      score: r.scores[i]!,
      ...(title(i) !== undefined ? { title: title(i) } : {}),
    }));
    io.out(JSON.stringify({ ...r.extra, items }));
    return;
  }
  io.out(r.heading);
  const rows = r.items.map((item, i) => [`${i + 1}`, String(item), r.scores[i]!.toFixed(4), title(i) ?? '']);
  const header = ['rank', 'item', 'score', r.titles ? 'title' : ''];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) =>
        c === 3 ? cell : c === 0 || c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!),
      )
      .join('  ')
      .trimEnd();
  io.out(line(header));
  for (const row of rows) io.out(line(row));
}
