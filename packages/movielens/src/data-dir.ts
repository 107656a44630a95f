import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The cache directory for downloaded datasets: `$NCF_DATA_DIR` when set, else `$XDG_CACHE_HOME/ncf`, else
 * `~/.cache/ncf` (on Windows `%LOCALAPPDATA%\ncf`). Nothing is created here; callers create on demand.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NCF_DATA_DIR) return resolve(env.NCF_DATA_DIR);
  if (env.XDG_CACHE_HOME) return join(resolve(env.XDG_CACHE_HOME), 'ncf');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'ncf');
  return join(homedir(), '.cache', 'ncf');
}
