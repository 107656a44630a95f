import { readFile } from 'node:fs/promises';
import { ConfigError, DataError } from '@ncf/core/base';

/** Text encodings MovieLens files use: `latin1` (ISO-8859-1: `u.item`, `movies.dat`) and `utf8` (the CSVs). */
export type TextEncoding = 'latin1' | 'utf8';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a whole (small, metadata) file as text. `latin1` maps every byte to the code point of the same
 * value (true ISO-8859-1, not windows-1252); `utf8` is strict: invalid bytes are a `DataError` naming the
 * file and the line where decoding fails. Any other encoding name is a `ConfigError`.
 */
export async function readTextFile(path: string, encoding: TextEncoding): Promise<string> {
  if (encoding !== 'latin1' && encoding !== 'utf8') {
    throw new ConfigError(
      `unknown encoding ${JSON.stringify(encoding)} for ${path}; expected 'latin1' or 'utf8'`,
      'encoding',
    );
  }
  const bytes = await readFile(path);
  if (bytes.length === 0) throw new DataError('empty file; expected at least one line', { file: path });
  if (encoding === 'latin1') return bytes.toString('latin1');
  try {
    const text = utf8Decoder.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    let line = 1;
    let i = 0;
    // Find the first invalid byte by decoding line by line.
    while (i < bytes.length) {
      let j = bytes.indexOf(10, i);
      if (j < 0) j = bytes.length;
      try {
        utf8Decoder.decode(bytes.subarray(i, j));
      } catch {
        break;
      }
      i = j + 1;
      line++;
    }
    throw new DataError(
      'invalid UTF-8 bytes; expected UTF-8 text (is the file Latin-1?)',
      { file: path, line },
      { cause: error },
    );
  }
}

/**
 * Calls `visit(line, lineNumber)` for each line of `text` (1-based numbers, `\r\n` or `\n` endings). Blank
 * lines are skipped (MovieLens files end with one); they still count in line numbers.
 */
export function forEachLine(text: string, visit: (line: string, lineNumber: number) => void): void {
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNumber++;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length > 0) visit(line, lineNumber);
    start = end + 1;
  }
}

/**
 * Splits one RFC 4180 CSV line: fields separated by commas, optionally double-quoted, with `""` as an
 * escaped quote inside a quoted field (`"Shawshank Redemption, The (1994)"`). An unterminated quote or text
 * after a closing quote is a `DataError` at `file:line`.
 */
export function splitCsvLine(line: string, file: string, lineNumber: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0)
          throw new DataError(`unterminated quoted field starting at column ${i + 1}`, {
            file,
            line: lineNumber,
          });
        value += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(value);
      if (i === line.length) return fields;
      if (line.charCodeAt(i) !== 44) {
        throw new DataError(`unexpected text after closing quote at column ${i + 1}; expected ','`, {
          file,
          line: lineNumber,
        });
      }
      i++;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, c));
      i = c + 1;
    }
  }
}

/** Parses a non-negative decimal integer field, or throws a `DataError` saying which field was expected. */
export function parseIntField(value: string | undefined, field: string, file: string, line: number): number {
  if (value === undefined || !/^\d+$/.test(value)) {
    throw new DataError(`${field} ${JSON.stringify(value ?? '')} is not a non-negative integer`, {
      file,
      line,
    });
  }
  const n = Number(value);
  if (n > 2147483647)
    throw new DataError(`${field} ${value} overflows int32 (max 2147483647)`, { file, line });
  return n;
}
