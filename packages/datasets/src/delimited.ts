// The delimited-text entry points (text in memory, a file streamed in chunks) and the public names of the
// parser they use, which lives in the files next to this one.
import { open } from 'node:fs/promises';
import { throwIfAborted } from '@ncf/core/base';
import type { DelimitedOptions, ParseResult } from './delimited-options.js';
import { DelimitedParser } from './delimited-parser.js';

export type { ColumnMapping, ColumnRef, DelimitedOptions, ParseResult } from './delimited-options.js';
export { DELIMITED_DEFAULTS } from './delimited-options.js';
export { DelimitedParser } from './delimited-parser.js';
export { parseNumber } from './parse-number.js';

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
 * Bad lines throw `DataError` naming file, line and the expected form, or are skipped and counted with
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
