import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '@ncf/core';
import { extractZip, readZipEntries } from '../src/index.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const text = Buffer.from('1\t2\t3\t4\n'.repeat(5000));

describe('extractZip', () => {
  it('extracts stored and deflated entries byte for byte', async () => {
    const path = join(tmp.dir, 'ok.zip');
    writeFileSync(
      path,
      zipSync({
        'd/a.txt': [text, { level: 9 }],
        'd/b.txt': [new Uint8Array([1, 2, 3]), { level: 0 }],
        'd/empty': new Uint8Array(0),
      }),
    );
    const entries = await readZipEntries(path);
    expect(entries.map((e) => [e.name, e.method]).slice(0, 2)).toEqual([
      ['d/a.txt', 8],
      ['d/b.txt', 0],
    ]);
    expect(entries[2]?.size).toBe(0);
    const out = join(tmp.dir, 'ok');
    const written = await extractZip(path, out);
    expect(written).toHaveLength(3);
    expect(readFileSync(join(out, 'd/a.txt')).equals(text)).toBe(true);
    expect([...readFileSync(join(out, 'd/b.txt'))]).toEqual([1, 2, 3]);
  });

  it('detects corrupted compressed data (CRC-32 or deflate error) and names the entry', async () => {
    const bytes = zipSync({ 'a.txt': [text, { level: 9 }] });
    const entry = await (async () => {
      const p = join(tmp.dir, 'tmp.zip');
      writeFileSync(p, bytes);
      return (await readZipEntries(p))[0]!;
    })();
    const corrupt = Uint8Array.from(bytes);
    const mid = entry.localHeaderOffset + 30 + 'a.txt'.length + Math.floor(entry.compressedSize / 2);
    corrupt[mid] = corrupt[mid]! ^ 0xff;
    const path = join(tmp.dir, 'corrupt.zip');
    writeFileSync(path, corrupt);
    const e = await extractZip(path, join(tmp.dir, 'corrupt')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as Error).message).toMatch(/corrupt\.zip: entry a\.txt: (CRC-32|corrupt deflate|inflated to)/);
  });

  it('rejects a truncated archive and an entry escaping the target directory', async () => {
    const bytes = zipSync({ 'a.txt': text });
    const cut = join(tmp.dir, 'cut.zip');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    await expect(extractZip(cut, join(tmp.dir, 'cut'))).rejects.toThrow(/no end-of-central-directory record/);
    const evil = join(tmp.dir, 'evil.zip');
    writeFileSync(evil, zipSync({ '../evil.txt': new Uint8Array([1]) }));
    await expect(extractZip(evil, join(tmp.dir, 'evil'))).rejects.toThrow(/unsafe path/);
  });
});
