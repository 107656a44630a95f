import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'ncf-movielens-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The shared real-data folder: `$NCF_SHARED_DATA`, else `<repo>/../shared/data`. */
export const SHARED_DATA =
  process.env.NCF_SHARED_DATA ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));

/** Small synthetic sizes for fast tests. */
export const SMALL = { users: 40, items: 80, minRatingsPerUser: 5, meanRatingsPerUser: 12 } as const;
