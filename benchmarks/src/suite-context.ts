import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SuiteContext } from './suite.js';

/** Absolute path of the repository root (two levels above this file). */
export const REPO_ROOT = path.resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** The python interpreter the peers are run with, when it has torch. */
export const PEER_PYTHON = '/usr/bin/python3';

/** Options of {@link createSuiteContext}; the defaults come from the repository layout and the environment. */
export interface SuiteContextOptions {
  readonly args?: readonly string[];
  readonly repoRoot?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Where log lines go (default: stderr). */
  readonly log?: (message: string) => void;
}

/** Whether `python` runs and can `import torch` (takes a second or two: torch is large). */
export function pythonHasTorch(python: string): boolean {
  const r = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
  return r.status === 0;
}

/**
 * Builds the context a suite runs in: shared data at `<repo>/../shared/data` (or env `NCF_SHARED_DATA`),
 * peers at `<repo>/../shared/peers`, and `python` = {@link PEER_PYTHON} when it can import torch. The
 * python check runs lazily, on first read, so suites that do not need it do not pay for it.
 */
export function createSuiteContext(options: SuiteContextOptions = {}): SuiteContext {
  const env = options.env ?? process.env;
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  const sharedData = path.resolve(env.NCF_SHARED_DATA || path.join(repoRoot, '..', 'shared', 'data'));
  const peers = path.resolve(path.join(repoRoot, '..', 'shared', 'peers'));
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  let python: string | undefined | null = null;
  return {
    args: [...(options.args ?? [])],
    log,
    sharedData,
    peers,
    repoRoot,
    get python(): string | undefined {
      if (python === null) python = pythonHasTorch(PEER_PYTHON) ? PEER_PYTHON : undefined;
      return python;
    },
  };
}
