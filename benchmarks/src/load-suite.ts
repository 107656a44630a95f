import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './suite-context.js';
import type { Suite } from './suite.js';

/** The folder holding `<name>.ts` suite files. */
export const SUITES_DIR = path.join(REPO_ROOT, 'benchmarks', 'suites');

/** Names of the suites in `dir` (file names without `.ts`), sorted. */
export function suiteNames(dir = SUITES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort();
}

function isSuite(value: unknown): value is Suite {
  const s = value as Partial<Suite> | undefined;
  return typeof s === 'object' && s !== null && typeof s.name === 'string' && typeof s.run === 'function';
}

/** Imports `<dir>/<name>.ts` and returns its exported `suite`; throws a message naming the file otherwise. */
export async function loadSuite(name: string, dir = SUITES_DIR): Promise<Suite> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`invalid suite name '${name}'`);
  const file = path.join(dir, `${name}.ts`);
  if (!existsSync(file)) {
    const known = suiteNames(dir);
    throw new Error(
      `no suite '${name}' (expected ${file}); suites: ${known.length ? known.join(', ') : 'none'}`,
    );
  }
  const mod = (await import(pathToFileURL(file).href)) as { suite?: unknown };
  if (!isSuite(mod.suite))
    throw new Error(`${file} does not export \`suite\` (an object with name and run())`);
  return mod.suite;
}
