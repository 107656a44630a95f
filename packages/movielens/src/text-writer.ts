// A buffered text-file writer that renames into place on close, and CSV field quoting.
import { randomBytes } from 'node:crypto';
import { open, rename } from 'node:fs/promises';

/** `s` as one CSV field: quoted (with `""` for `"`) when it holds a quote, comma or line break. */
export function csvQuote(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Buffered writer of a text file in a given encoding: `line` is synchronous, `await w.drain()` when `w.full`.
 * Writes to a temporary name and renames on `close`, so a reader (another process loading the same
 * directory) never sees a half-written file.
 */
export async function textWriter(path: string, encoding: 'latin1' | 'utf8') {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w');
  let parts: string[] = [];
  let size = 0;
  const drain = async (): Promise<void> => {
    if (parts.length === 0) return;
    const text = parts.join('');
    parts = [];
    size = 0;
    await handle.write(Buffer.from(text, encoding));
  };
  return {
    line(s: string): void {
      parts.push(s, '\n');
      size += s.length + 1;
    },
    get full(): boolean {
      return size > 1 << 22;
    },
    drain,
    async close(): Promise<void> {
      await drain();
      await handle.close();
      await rename(tmp, path);
    },
  };
}
