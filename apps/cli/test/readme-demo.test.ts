import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { recordingIo, runCli } from '../src/index.js';

// The root README shows `pnpm ncf demo`'s stdout; the demo is seeded, so on the wasm backend (the README's)
// every number except timings must come out the same. This runs the demo with its defaults and compares.
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const cache = mkdtempSync(path.join(tmpdir(), 'ncf-readme-demo-'));
const previousDataDir = process.env.NCF_DATA_DIR;
process.env.NCF_DATA_DIR = cache;

afterAll(() => {
  if (previousDataDir === undefined) delete process.env.NCF_DATA_DIR;
  else process.env.NCF_DATA_DIR = previousDataDir;
  rmSync(cache, { recursive: true, force: true });
});

/** The README's demo block: the fenced block that starts with the demo's `backend:` line. */
function readmeBlock(): string {
  const m = /```\n(backend: [\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README.md has no demo output block starting with "backend:"');
  return m[1]!;
}

/** What is seeded: every line but the timing and temporary-path details, which vary run to run. */
function deterministic(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('backend:') && !l.startsWith('data:'))
    .map((l) => l.replace(/, [\d.]+ s on (\w+)$/, ' on $1'));
}

it('`ncf demo` prints the numbers the README shows', { timeout: 300_000 }, async () => {
  const io = recordingIo();
  const code = await runCli(['--backend', 'wasm', 'demo'], io);
  expect(io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
  expect(code).toBe(0);
  const printed = io.stdout.join('\n');
  const shown = readmeBlock();
  expect(deterministic(printed)).toEqual(deterministic(shown));
  // The data line's counts are seeded too (its path is not).
  const dataLine = (t: string): string | undefined => /^data: (.*?) at /m.exec(t)?.[1];
  expect(dataLine(printed)).toBe(dataLine(shown));
  expect(deterministic(shown).some((l) => /^ncf\/mf +all +500 +0\.\d{4}/.test(l))).toBe(true);
});
