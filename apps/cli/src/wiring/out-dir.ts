import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@ncf/core';

/**
 * Checks `ncf train --out <dir>` before any data is read or any epoch runs, so a bad path fails in a second
 * instead of after training: the path (or one of its parents) must not be a file, a directory already holding a
 * model (`model.json`) is replaced only with `--force`, and a non-empty directory @ncf did not write is refused
 * (the atomic save would refuse it too, after training). Returns the absolute path.
 */
export function checkOutDir(out: string, force: boolean): string {
  const dir = path.resolve(out);
  for (let p = dir; ; p = path.dirname(p)) {
    if (existsSync(p)) {
      if (!statSync(p).isDirectory()) {
        throw new ConfigError(
          p === dir
            ? `--out ${dir} is a file; expected a directory to save the model in`
            : `--out ${dir}: ${p} is a file, so no directory can be created under it`,
          'out',
        );
      }
      break;
    }
    if (path.dirname(p) === p) break;
  }
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.includes('model.json')) {
      if (!force) {
        throw new ConfigError(
          `--out ${dir} already holds a model (model.json); pass --force to replace it, or choose another directory`,
          'out',
        );
      }
    } else if (entries.length > 0) {
      throw new ConfigError(
        `--out ${dir} is a non-empty directory without model.json (not one ncf wrote); choose an empty or new directory`,
        'out',
      );
    }
  }
  return dir;
}
