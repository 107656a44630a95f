import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ModelFileError } from '../errors.js';

/**
 * Crash-safe replacement of a directory: the new contents are written to a temporary directory beside the
 * target and fsynced, the old directory is renamed to `<target>.ncf-previous`, the new one renamed into place,
 * the parent fsynced and the previous copy removed. A crash at any point leaves either the old or the new
 * directory complete; in the short window between the two renames only `<target>.ncf-previous` exists, and
 * {@link resolveDirForReading} falls back to it.
 */

/** Writes `data` to `path` and fsyncs it before closing. */
export async function writeFileDurably(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Fsyncs a directory so renames and new entries in it survive a power loss (best effort where unsupported). */
export async function syncDir(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or fsync directories; the renames are still atomic there.
  } finally {
    await handle?.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether process `pid` is alive on this machine (EPERM: alive, owned by another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary directories of `target` that saves killed mid-write left beside it
 * (`.<name>.ncf-tmp-<pid>-<hex>` of a process no longer running): a SIGKILL skips the cleanup in
 * {@link replaceDirAtomically}, and nothing else would ever reclaim them. Folders of live processes
 * (this one included) are left alone, since their save may still be running.
 */
export async function removeStaleTempDirs(target: string): Promise<string[]> {
  const dir = resolve(target);
  const parent = dirname(dir);
  const prefix = `.${basename(dir)}.ncf-tmp-`;
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const match = /^(\d+)-[0-9a-f]+$/.exec(entry.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    await rm(join(parent, entry), { recursive: true, force: true });
    removed.push(join(parent, entry));
  }
  return removed;
}

/** Path of the backup kept during the swap. */
export function previousDirOf(target: string): string {
  return `${resolve(target)}.ncf-previous`;
}

/**
 * Replaces directory `target` with what `write(tmpDir)` produces, atomically (see the module comment).
 * `marker` is a file that must exist in an existing non-empty `target` (e.g. `model.json`): \@ncf refuses to
 * replace a directory it did not write. On failure the temporary directory is removed and `target` is untouched.
 * Temporary directories left by earlier saves that were killed are removed first ({@link removeStaleTempDirs}).
 */
export async function replaceDirAtomically(
  target: string,
  marker: string,
  write: (tmpDir: string) => Promise<void>,
): Promise<void> {
  const dir = resolve(target);
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  if (await exists(dir)) {
    const entries = await readdir(dir);
    if (entries.length > 0 && !entries.includes(marker)) {
      throw new ModelFileError(
        dir,
        `refusing to overwrite a non-empty directory without ${marker}: it does not look like one @ncf wrote`,
      );
    }
  }
  await removeStaleTempDirs(dir);
  const tmp = join(parent, `.${basename(dir)}.ncf-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  try {
    await write(tmp);
    await syncDir(tmp);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const previous = previousDirOf(dir);
  const hadTarget = await exists(dir);
  if (hadTarget) {
    await rm(previous, { recursive: true, force: true });
    await rename(dir, previous);
  }
  await rename(tmp, dir);
  await syncDir(parent);
  await rm(previous, { recursive: true, force: true });
}

/**
 * The directory to read a model from: `dir` itself, or its `.ncf-previous` backup when a save crashed between
 * its two renames (so `dir` is missing).
 */
export async function resolveDirForReading(dir: string): Promise<string> {
  const abs = resolve(dir);
  if (await exists(abs)) return abs;
  const previous = previousDirOf(abs);
  if (await exists(previous)) return previous;
  return abs;
}
