import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { Inflate } from 'fflate';
import { DataError, throwIfAborted } from '@ncf/core/base';
import type { DataProgress } from './download.js';

/** One file of a zip archive, from its central directory. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

/** Options of {@link extractZip}. */
export interface ExtractZipOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DataProgress) => void;
  /** Which entries to extract (default: all but `__MACOSX/` resource forks). */
  readonly filter?: (entry: ZipEntry) => boolean;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const CHUNK = 1 << 20;

/**
 * Reads the central directory of the zip at `path`. A missing end-of-central-directory record or a
 * directory pointing past the end of the file means a truncated archive: `DataError` naming the file.
 */
export async function readZipEntries(path: string): Promise<ZipEntry[]> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      throw new DataError(
        'not a complete zip archive: no end-of-central-directory record (truncated download?)',
        { file: path },
      );
    }
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      throw new DataError('zip64 archives are not supported', { file: path });
    }
    if (cdOffset + cdSize > size - tailLength + eocd) {
      throw new DataError(
        `truncated zip archive: central directory at ${cdOffset}+${cdSize} lies past the data`,
        { file: path },
      );
    }
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let k = 0; k < count; k++) {
      if (p + 46 > cdSize || cd.readUInt32LE(p) !== CENTRAL_SIGNATURE) {
        throw new DataError(`corrupt zip central directory at entry ${k + 1} of ${count}`, { file: path });
      }
      const nameLength = cd.readUInt16LE(p + 28);
      const entry: ZipEntry = {
        method: cd.readUInt16LE(p + 10),
        crc32: cd.readUInt32LE(p + 16),
        compressedSize: cd.readUInt32LE(p + 20),
        size: cd.readUInt32LE(p + 24),
        localHeaderOffset: cd.readUInt32LE(p + 42),
        name: cd.toString('utf8', p + 46, p + 46 + nameLength),
      };
      if (
        entry.compressedSize === 0xffffffff ||
        entry.size === 0xffffffff ||
        entry.localHeaderOffset === 0xffffffff
      ) {
        throw new DataError(`zip64 entry ${entry.name} is not supported`, { file: path });
      }
      entries.push(entry);
      p += 46 + nameLength + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    }
    return entries;
  } finally {
    await handle.close();
  }
}

function safeJoin(root: string, name: string, zipPath: string): string {
  const parts = name.split(/[\\/]+/).filter((s) => s.length > 0);
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || parts.some((s) => s === '..')) {
    throw new DataError(`unsafe path in zip entry ${JSON.stringify(name)} (absolute or containing '..')`, {
      file: zipPath,
    });
  }
  return join(root, ...parts);
}

/**
 * Extracts the zip at `zipPath` into `destDir`, streaming: each entry is read in 1 MiB chunks, inflated
 * with fflate's streaming `Inflate` and written out, so memory stays at a few MiB even for ml-25m's
 * 650 MB `ratings.csv`. Every entry's size and CRC-32 are checked against the central directory; a
 * truncated or corrupt archive is a `DataError` naming the zip and the entry. Returns the written paths.
 * Stored (0) and deflated (8) entries are supported, zip64 is not (no MovieLens archive needs it).
 */
export async function extractZip(
  zipPath: string,
  destDir: string,
  options: ExtractZipOptions = {},
): Promise<string[]> {
  const entries = await readZipEntries(zipPath);
  const filter = options.filter ?? ((e: ZipEntry) => !e.name.startsWith('__MACOSX/'));
  const selected = entries.filter(filter);
  const totalBytes = selected.reduce((s, e) => s + e.size, 0);
  let done = 0;
  const written: string[] = [];
  const zip = await open(zipPath, 'r');
  try {
    const { size: zipSize } = await zip.stat();
    for (const entry of selected) {
      throwIfAborted(options.signal);
      const target = safeJoin(destDir, entry.name, zipPath);
      if (entry.name.endsWith('/')) {
        await mkdir(target, { recursive: true });
        continue;
      }
      if (entry.method !== 0 && entry.method !== 8) {
        throw new DataError(
          `entry ${entry.name}: compression method ${entry.method} is not supported (expected 0 or 8)`,
          { file: zipPath },
        );
      }
      const header = Buffer.alloc(30);
      await zip.read(header, 0, 30, entry.localHeaderOffset);
      if (header.readUInt32LE(0) !== LOCAL_SIGNATURE) {
        throw new DataError(`entry ${entry.name}: bad local header at offset ${entry.localHeaderOffset}`, {
          file: zipPath,
        });
      }
      const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      if (dataStart + entry.compressedSize > zipSize) {
        throw new DataError(`entry ${entry.name}: data runs past the end of the archive (truncated)`, {
          file: zipPath,
        });
      }
      await mkdir(dirname(target), { recursive: true });
      const out = await open(target, 'w');
      try {
        let crc = 0;
        let outBytes = 0;
        let pending: Uint8Array[] = [];
        const sink = (data: Uint8Array): void => {
          crc = crc32(data, crc);
          outBytes += data.byteLength;
          pending.push(data);
        };
        const inflater = entry.method === 8 ? new Inflate(sink) : undefined;
        const buffer = Buffer.alloc(Math.min(CHUNK, Math.max(1, entry.compressedSize)));
        let offset = 0;
        do {
          throwIfAborted(options.signal);
          const length = Math.min(buffer.length, entry.compressedSize - offset);
          const { bytesRead } = await zip.read(buffer, 0, length, dataStart + offset);
          offset += bytesRead;
          const chunk = buffer.subarray(0, bytesRead);
          const final = offset >= entry.compressedSize;
          if (inflater) {
            try {
              inflater.push(chunk, final);
            } catch (error) {
              throw new DataError(
                `entry ${entry.name}: corrupt deflate data (${(error as Error).message})`,
                { file: zipPath },
                { cause: error },
              );
            }
          } else {
            sink(Uint8Array.from(chunk));
          }
          for (const piece of pending) await out.write(piece);
          pending = [];
          options.onProgress?.({ phase: 'extract', bytes: done + outBytes, totalBytes, file: target });
          if (bytesRead === 0 && !final) {
            throw new DataError(`entry ${entry.name}: unexpected end of archive`, { file: zipPath });
          }
        } while (offset < entry.compressedSize);
        if (outBytes !== entry.size) {
          throw new DataError(`entry ${entry.name}: inflated to ${outBytes} bytes, expected ${entry.size}`, {
            file: zipPath,
          });
        }
        if (crc >>> 0 !== entry.crc32) {
          throw new DataError(
            `entry ${entry.name}: CRC-32 ${(crc >>> 0).toString(16)} does not match ${entry.crc32.toString(16)}`,
            { file: zipPath },
          );
        }
        done += outBytes;
      } finally {
        await out.close();
      }
      written.push(target);
    }
  } finally {
    await zip.close();
  }
  return written;
}
