import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AbortError, DownloadError, NcfError } from '@ncf/core/base';

/** Progress of a download or an extraction, reported as events (libraries never print). */
export interface DataProgress {
  readonly phase: 'download' | 'extract';
  /** Bytes done so far (downloaded bytes, or uncompressed bytes written). */
  readonly bytes: number;
  /** Total bytes when known (Content-Length, or the archive's uncompressed size). */
  readonly totalBytes: number | undefined;
  /** The file being written. */
  readonly file: string;
}

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** Stops the download; the partial file is removed and an `AbortError` thrown. */
  readonly signal?: AbortSignal;
  /**
   * Stall timeout: the longest wait, in ms, for the response headers or for the next chunk of the body.
   * A slow but steady download never times out; a stalled one fails with a `DownloadError`.
   */
  readonly timeoutMs?: number;
  /** Called after every received chunk. */
  readonly onProgress?: (progress: DataProgress) => void;
  /** Expected MD5 (hex) of the whole file; a mismatch is a `DownloadError` and nothing is kept. */
  readonly md5?: string;
  /** Expected size in bytes; a mismatch is a `DownloadError` and nothing is kept. */
  readonly expectedBytes?: number;
}

/** Defaults of {@link DownloadOptions}. */
export const DOWNLOAD_DEFAULTS = { timeoutMs: 30_000 } as const;

/** What {@link downloadFile} wrote. */
export interface DownloadResult {
  readonly path: string;
  readonly bytes: number;
  readonly md5: string;
}

/**
 * Downloads `url` to `dest` atomically: the body is streamed to a temporary file next to `dest` (hashing
 * as it goes), checked against the Content-Length, `expectedBytes` and `md5`, and only then renamed to
 * `dest`. On any failure the temporary file is removed, so `dest` either is complete and verified or does
 * not exist. Errors: `DownloadError` (HTTP status, network, stall timeout, size or checksum mismatch),
 * `AbortError` (signal).
 */
export async function downloadFile(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const timeoutMs = options.timeoutMs ?? DOWNLOAD_DEFAULTS.timeoutMs;
  const { signal } = options;
  if (signal?.aborted) throw new AbortError(`download of ${url} was aborted`);
  await mkdir(dirname(dest), { recursive: true });
  const tmp = join(dirname(dest), `.${basename(dest)}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    arm();
    const response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new DownloadError(url, `HTTP ${response.status} ${response.statusText} (expected 200 OK)`);
    }
    // With a content encoding (gzip…), fetch decodes the body and Content-Length counts encoded bytes.
    const encoding = response.headers.get('content-encoding');
    const lengthHeader = encoding && encoding !== 'identity' ? null : response.headers.get('content-length');
    const contentLength = lengthHeader !== null ? Number(lengthHeader) : undefined;
    const totalBytes = contentLength ?? options.expectedBytes;
    if (
      options.expectedBytes !== undefined &&
      contentLength !== undefined &&
      contentLength !== options.expectedBytes
    ) {
      await response.body.cancel().catch(() => undefined);
      throw new DownloadError(
        url,
        `server announces ${contentLength} bytes, expected ${options.expectedBytes}`,
      );
    }
    const hash = createHash('md5');
    handle = await open(tmp, 'w');
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      arm();
      hash.update(chunk);
      await handle.write(chunk);
      bytes += chunk.byteLength;
      options.onProgress?.({ phase: 'download', bytes, totalBytes, file: dest });
    }
    await handle.close();
    handle = undefined;
    if (contentLength !== undefined && bytes !== contentLength) {
      throw new DownloadError(url, `truncated: received ${bytes} of ${contentLength} bytes`);
    }
    if (options.expectedBytes !== undefined && bytes !== options.expectedBytes) {
      throw new DownloadError(
        url,
        `size mismatch: received ${bytes} bytes, expected ${options.expectedBytes}`,
      );
    }
    const md5 = hash.digest('hex');
    if (options.md5 !== undefined && md5 !== options.md5.toLowerCase()) {
      throw new DownloadError(url, `checksum mismatch: md5 ${md5}, expected ${options.md5.toLowerCase()}`);
    }
    await rename(tmp, dest);
    return { path: dest, bytes, md5 };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(tmp, { force: true });
    if (signal?.aborted) throw new AbortError(`download of ${url} was aborted`);
    if (timedOut) throw new DownloadError(url, `timed out: no data for ${timeoutMs} ms`, { cause: error });
    if (error instanceof NcfError) throw error;
    const reason =
      error instanceof Error
        ? error.cause instanceof Error
          ? `${error.message}: ${error.cause.message}`
          : error.message
        : String(error);
    throw new DownloadError(url, `download failed (${reason})`, { cause: error });
  } finally {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
