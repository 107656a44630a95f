import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, DataError, DownloadError } from '@ncf/core';
import type { DataProgress } from '../src/index.js';
import { downloadFile, ensureMovieLens, loadMovieLens, writeSyntheticMovieLens } from '../src/index.js';
import { SMALL, tempDir } from './helpers.js';

const tmp = tempDir();
let server: Server;
let base = '';
let zip: Uint8Array;
let md5 = '';
const hits = new Map<string, number>();

function send(res: ServerResponse, body: Uint8Array, length = body.length): void {
  res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(length) });
  res.end(Buffer.from(body));
}

beforeAll(async () => {
  const src = join(tmp.dir, 'src');
  await writeSyntheticMovieLens(src, { ...SMALL, seed: 5 });
  const files: Record<string, Uint8Array> = {};
  for (const f of readdirSync(src)) files[`ml-100k/${f}`] = readFileSync(join(src, f));
  files['__MACOSX/ml-100k/._u.data'] = new Uint8Array([1, 2, 3]);
  zip = zipSync(files, { level: 6 });
  md5 = createHash('md5').update(zip).digest('hex');
  server = createServer((req, res) => {
    const url = req.url ?? '';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    if (url === '/good.zip') return send(res, zip);
    if (url === '/truncated-zip.zip') return send(res, zip.subarray(0, Math.floor(zip.length * 0.6)));
    if (url === '/cut-transfer.zip') {
      res.writeHead(200, { 'content-length': String(zip.length) });
      res.write(Buffer.from(zip.subarray(0, 1000)));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    if (url === '/stall.zip') {
      res.writeHead(200, { 'content-length': String(zip.length) });
      res.write(Buffer.from(zip.subarray(0, 100)));
      return; // never finishes
    }
    if (url === '/no-headers.zip') return; // never answers
    res.writeHead(404, 'Not Found');
    res.end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  tmp.cleanup();
});

let n = 0;
const freshCache = (): string => join(tmp.dir, `cache-${++n}`);
/** Everything left in a cache directory (missing directory = nothing). */
const leftovers = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

describe('ensureMovieLens against a local server', () => {
  it('downloads, verifies the MD5, extracts and leaves only the extracted folder; the next call uses the cache', async () => {
    const dataDir = freshCache();
    const events: DataProgress[] = [];
    const dir = await ensureMovieLens('ml-100k', {
      dataDir,
      url: `${base}/good.zip`,
      md5,
      onProgress: (p) => events.push(p),
    });
    expect(dir).toBe(join(dataDir, 'ml-100k'));
    expect(leftovers(dataDir)).toEqual(['ml-100k']);
    expect(readdirSync(dir).sort()).toEqual([
      'u.data',
      'u.genre',
      'u.info',
      'u.item',
      'u.occupation',
      'u.user',
    ]);
    const downloads = events.filter((e) => e.phase === 'download');
    expect(downloads.at(-1)?.bytes).toBe(zip.length);
    expect(downloads.at(-1)?.totalBytes).toBe(zip.length);
    for (let k = 1; k < downloads.length; k++)
      expect(downloads[k]!.bytes).toBeGreaterThanOrEqual(downloads[k - 1]!.bytes);
    expect(events.some((e) => e.phase === 'extract')).toBe(true);
    const before = hits.get('/good.zip');
    const data = await loadMovieLens('ml-100k', { dataDir, url: `${base}/good.zip`, download: false });
    expect(hits.get('/good.zip')).toBe(before);
    expect(data.interactions.numUsers).toBe(SMALL.users);
  });

  it('keeps the verified archive with keepArchive', async () => {
    const dataDir = freshCache();
    await ensureMovieLens('ml-100k', { dataDir, url: `${base}/good.zip`, md5, keepArchive: true });
    expect(leftovers(dataDir).sort()).toEqual(['ml-100k', 'ml-100k.zip']);
  });

  it('checksum mismatch: DownloadError, nothing kept', async () => {
    const dataDir = freshCache();
    const e = await ensureMovieLens('ml-100k', {
      dataDir,
      url: `${base}/good.zip`,
      md5: '0'.repeat(32),
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DownloadError);
    expect((e as Error).message).toContain(`checksum mismatch: md5 ${md5}, expected ${'0'.repeat(32)}`);
    expect(leftovers(dataDir)).toEqual([]);
  });

  it('size mismatch: DownloadError, nothing kept', async () => {
    const dataDir = freshCache();
    const e = await downloadFile(`${base}/good.zip`, join(dataDir, 'x.zip'), {
      expectedBytes: zip.length + 1,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DownloadError);
    expect((e as Error).message).toMatch(/expected \d+/);
    expect(leftovers(dataDir)).toEqual([]);
  });

  it('transfer cut short: DownloadError, nothing kept', async () => {
    const dataDir = freshCache();
    const e = await ensureMovieLens('ml-100k', { dataDir, url: `${base}/cut-transfer.zip`, md5: null }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(DownloadError);
    expect(leftovers(dataDir)).toEqual([]);
  });

  it('truncated zip served in full (no checksum): DataError from the zip check, the bad zip is removed', async () => {
    const dataDir = freshCache();
    const e = await ensureMovieLens('ml-100k', {
      dataDir,
      url: `${base}/truncated-zip.zip`,
      md5: null,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as Error).message).toMatch(/ml-100k\.zip: not a complete zip archive/);
    expect(leftovers(dataDir)).toEqual([]);
  });

  it('404: DownloadError naming the status, nothing kept', async () => {
    const dataDir = freshCache();
    const e = await ensureMovieLens('ml-100k', { dataDir, url: `${base}/nope.zip` }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DownloadError);
    expect((e as Error).message).toBe(`${base}/nope.zip: HTTP 404 Not Found (expected 200 OK)`);
    expect(leftovers(dataDir)).toEqual([]);
  });

  it('stalled body and unanswered request: DownloadError after timeoutMs, nothing kept', async () => {
    for (const path of ['/stall.zip', '/no-headers.zip']) {
      const dataDir = freshCache();
      const t0 = Date.now();
      const e = await ensureMovieLens('ml-100k', { dataDir, url: `${base}${path}`, timeoutMs: 300 }).catch(
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(DownloadError);
      expect((e as Error).message).toContain('timed out: no data for 300 ms');
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(leftovers(dataDir)).toEqual([]);
    }
  });

  it('abort signal: AbortError, nothing kept', async () => {
    const dataDir = freshCache();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const e = await ensureMovieLens('ml-100k', {
      dataDir,
      url: `${base}/stall.zip`,
      signal: controller.signal,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AbortError);
    expect(leftovers(dataDir)).toEqual([]);
  });

  it('download disabled and nothing cached: DataError', async () => {
    await expect(ensureMovieLens('ml-1m', { dataDir: freshCache(), download: false })).rejects.toThrow(
      /not in the cache and download is disabled/,
    );
  });
});
