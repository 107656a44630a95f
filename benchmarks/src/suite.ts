/**
 * The benchmark suite contract. Each suite is a file `benchmarks/suites/<name>.ts` exporting `suite`.
 * `pnpm bench <name> [--json out.json] [suite flags...]` runs it, prints its table and writes JSON whose top
 * level has a flat `summary` object of named numbers (e.g. `"shapeA.wasm_over_peer": 3.4`).
 */
export interface SuiteContext {
  /** Arguments after the suite name that the runner did not consume (e.g. `--ml1m`, `--repeats 3`). */
  readonly args: readonly string[];
  /** Progress/log lines (to stderr). */
  log(message: string): void;
  /** Absolute path of the shared data folder (`../shared/data` from the repo root, or env NCF_SHARED_DATA). */
  readonly sharedData: string;
  /** Absolute path of the shared peers folder (`../shared/peers`). */
  readonly peers: string;
  /** A python interpreter that has torch, or undefined when none is available. */
  readonly python: string | undefined;
  /** Absolute path of the repository root. */
  readonly repoRoot: string;
}

import type { PeerBlas } from './peer-blas.js';

/** What a suite returns. */
export interface SuiteResult {
  /** Rows of the printed table (all rows share keys). */
  readonly rows: readonly Record<string, string | number>[];
  /** Flat named numbers for scripts to check against targets. */
  readonly summary: Readonly<Record<string, number>>;
  /** Free-form lines printed under the table (machine, protocol, caveats). */
  readonly notes?: readonly string[];
  /** The BLAS the PyTorch peer ran on, for suites that time it (written as `peer_blas` in the JSON). */
  readonly peerBlas?: PeerBlas;
}

/** A benchmark suite. */
export interface Suite {
  readonly name: string;
  readonly description: string;
  run(ctx: SuiteContext): Promise<SuiteResult>;
}
