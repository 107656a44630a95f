import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DataError, type ExternalId, type HistoryRating, type IdMapJson } from '@ncf/core';

/** An id read from a file, typed as the model's ids are (MovieLens ids are numbers: "50" means item 50). */
function typedId(value: unknown, ids: IdMapJson | undefined): ExternalId {
  const text = String(value).trim();
  if (ids?.type === 'string') return text;
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : text;
}

function ratingOf(value: unknown, file: string, where: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isFinite(n)) {
    throw new DataError(`${file}: ${where}: rating must be a number, got ${JSON.stringify(value)}`);
  }
  return n;
}

function fromObjects(rows: readonly unknown[], file: string, ids: IdMapJson | undefined): HistoryRating[] {
  return rows.map((row, k) => {
    const r = row as Partial<Record<string, unknown>> | null;
    if (typeof r !== 'object' || r === null || r.item === undefined) {
      throw new DataError(`${file}: entry ${k + 1} must be an object with an "item" (and optional "rating")`);
    }
    const rating = ratingOf(r.rating, file, `entry ${k + 1}`);
    return { item: typedId(r.item, ids), ...(rating !== undefined ? { rating } : {}) };
  });
}

/**
 * Reads a new user's ratings for `ncf recommend --ratings <file>`: JSON (`[{"item": 50, "rating": 5}, …]`, or
 * `{"ratings": [...]}`), JSON lines (one such object a line), or a small CSV/TSV with a header naming an
 * `item` column and optionally a `rating` column. Ids take the type of the model's item ids. A history is a
 * handful of pairs typed by hand, not a dataset, so this reads it whole (datasets go through `--data`).
 */
export function readHistoryFile(file: string, itemIds: IdMapJson | undefined): HistoryRating[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new DataError(`cannot read --ratings ${file}: ${(cause as Error).message}`, {}, { cause });
  }
  const ext = path.extname(file).toLowerCase();
  const trimmed = text.trim();
  if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson' || /^[[{]/.test(trimmed)) {
    if (trimmed === '') return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      // JSON lines: one object per non-blank line.
      const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '');
      parsed = lines.map((l, k) => {
        try {
          return JSON.parse(l) as unknown;
        } catch (cause) {
          throw new DataError(
            `${file}: line ${k + 1} is not JSON: ${(cause as Error).message}`,
            {},
            { cause },
          );
        }
      });
    }
    const rows = Array.isArray(parsed) ? parsed : (parsed as { ratings?: unknown }).ratings;
    if (!Array.isArray(rows)) {
      throw new DataError(
        `${file}: expected a JSON array of {"item", "rating"} objects or {"ratings": [...]}`,
      );
    }
    return fromObjects(rows, file, itemIds);
  }
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const delimiter = [',', '\t', ';', '|'].find((d) => lines[0]!.includes(d)) ?? ',';
  const header = lines[0]!.split(delimiter).map((h) => h.trim().toLowerCase());
  const itemCol = header.findIndex(
    (h) => h === 'item' || h === 'itemid' || h === 'item_id' || h === 'movieid',
  );
  const ratingCol = header.findIndex((h) => h === 'rating' || h === 'score');
  if (itemCol < 0) {
    throw new DataError(
      `${file}: line 1 must be a header naming an 'item' column (and optionally 'rating'), got '${lines[0]}'`,
    );
  }
  return lines.slice(1).map((line, k) => {
    const fields = line.split(delimiter);
    const rating = ratingCol >= 0 ? ratingOf(fields[ratingCol], file, `line ${k + 2}`) : undefined;
    return { item: typedId(fields[itemCol], itemIds), ...(rating !== undefined ? { rating } : {}) };
  });
}
