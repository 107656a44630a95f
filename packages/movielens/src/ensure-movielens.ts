import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, DataError } from '@ncf/core/base';
import { defaultDataDir } from './data-dir.js';
import type { DataProgress } from './download.js';
import { DOWNLOAD_DEFAULTS, downloadFile } from './download.js';
import type { MovieLensVariant } from './variants.js';
import { MOVIELENS_VARIANTS, isMovieLensVariant } from './variants.js';
import { extractZip } from './zip-extract.js';

/** Options of {@link ensureMovieLens}. */
export interface EnsureMovieLensOptions {
  /** Cache directory; default {@link defaultDataDir} (`$NCF_DATA_DIR` or `~/.cache/ncf`). */
  readonly dataDir?: string;
  /** Download when the variant is not in the cache (default `true`); `false` makes a missing variant a `DataError`. */
  readonly download?: boolean;
  /** Keep the verified zip in the cache after extraction (default `false`). */
  readonly keepArchive?: boolean;
  readonly signal?: AbortSignal;
  /** Stall timeout of the download in ms (default 30 000). */
  readonly timeoutMs?: number;
  readonly onProgress?: (progress: DataProgress) => void;
  /** Override the download URL (mirrors, tests). */
  readonly url?: string;
  /** Override the expected MD5; `null` disables the checksum (the zip's CRC-32s are still checked). */
  readonly md5?: string | null;
}

/** Defaults of {@link EnsureMovieLensOptions}. */
export const ENSURE_MOVIELENS_DEFAULTS = {
  download: true,
  keepArchive: false,
  timeoutMs: DOWNLOAD_DEFAULTS.timeoutMs,
} as const;

/**
 * Returns the directory of an extracted MovieLens variant in the cache, downloading it first when needed:
 * download to a temporary file, verify size and MD5, rename to `<dataDir>/<variant>.zip`, extract into a
 * temporary directory (every entry's CRC-32 checked), check the expected files, rename to
 * `<dataDir>/<variant>/`. Any failure removes what it wrote (a zip that fails to extract is deleted too), so
 * the cache only ever holds complete, verified data. MovieLens's terms forbid redistribution: the data is
 * fetched from GroupLens on the user's machine, never shipped.
 */
export async function ensureMovieLens(
  variant: MovieLensVariant,
  options: EnsureMovieLensOptions = {},
): Promise<string> {
  if (!isMovieLensVariant(variant)) {
    throw new ConfigError(
      `unknown MovieLens variant ${JSON.stringify(variant)}; expected one of ${Object.keys(MOVIELENS_VARIANTS).join(', ')}`,
      'variant',
    );
  }
  const spec = MOVIELENS_VARIANTS[variant];
  const dataDir = options.dataDir ?? defaultDataDir();
  const target = join(dataDir, spec.folder);
  if (spec.requiredFiles.every((f) => existsSync(join(target, f)))) return target;
  const o = { ...ENSURE_MOVIELENS_DEFAULTS, ...options };
  const zipPath = join(dataDir, `${variant}.zip`);
  if (!existsSync(zipPath)) {
    if (!o.download) {
      throw new DataError(
        `MovieLens ${variant} is not in the cache and download is disabled; expected ${target}/`,
        { file: target },
      );
    }
    const md5 = options.md5 === null ? undefined : (options.md5 ?? spec.md5);
    await downloadFile(options.url ?? spec.url, zipPath, {
      timeoutMs: o.timeoutMs,
      ...(md5 !== undefined ? { md5 } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  }
  const staging = join(dataDir, `.${variant}.extract-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(staging, { recursive: true });
    await extractZip(zipPath, staging, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const extracted = join(staging, spec.folder);
    const missing = spec.requiredFiles.filter((f) => !existsSync(join(extracted, f)));
    if (missing.length > 0) {
      throw new DataError(
        `archive does not contain ${missing.map((f) => `${spec.folder}/${f}`).join(', ')}`,
        { file: zipPath },
      );
    }
    await rm(target, { recursive: true, force: true });
    await rename(extracted, target);
  } catch (error) {
    // A zip that cannot be extracted is corrupt: remove it so the next call downloads again.
    if (error instanceof DataError) await rm(zipPath, { force: true });
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  if (!o.keepArchive) await rm(zipPath, { force: true });
  return target;
}
