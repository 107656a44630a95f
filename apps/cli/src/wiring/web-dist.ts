import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@ncf/core';

/**
 * The built page of `@ncf/web` (`apps/web/dist`), found next to the CLI in the monorepo (the same relative
 * place from `src/` and from `dist/`), or the folder given with `--web <dir>` / `--web-dist <dir>`. A folder
 * without `index.html` is a ConfigError saying how to build it.
 */
export function webDistDir(given?: string): string {
  const dir =
    given !== undefined ? path.resolve(given) : fileURLToPath(new URL('../../../web/dist/', import.meta.url));
  if (!existsSync(path.join(dir, 'index.html'))) {
    throw new ConfigError(
      `no built web page in ${dir} (index.html missing); build it with \`pnpm --filter @ncf/web build\`` +
        (given === undefined ? ' or name a folder with --web <dir>' : ''),
      'web',
    );
  }
  return dir;
}
