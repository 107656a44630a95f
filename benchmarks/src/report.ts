import type { MachineInfo } from './machine-info.js';
import type { PeerBlas } from './peer-blas.js';
import type { SuiteResult } from './suite.js';

/** The JSON a run writes with `--json`. */
export interface BenchReport {
  readonly suite: string;
  /** ISO-8601 start time. */
  readonly date: string;
  readonly machine: MachineInfo;
  /** Suite arguments of the run. */
  readonly args: readonly string[];
  /** Wall time of the suite, seconds. */
  readonly seconds: number;
  readonly rows: SuiteResult['rows'];
  readonly summary: SuiteResult['summary'];
  readonly notes: readonly string[];
  /** The BLAS the PyTorch peer ran on (suites that time the peer); ratios are withheld on netlib. */
  readonly peer_blas?: PeerBlas;
}

/**
 * Checks that a suite's `summary` is flat and numeric (what scripts compare against targets). Returns
 * problems as messages; non-finite numbers are allowed but reported, since JSON writes them as null.
 */
export function checkSummary(summary: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(summary)) {
    if (typeof value !== 'number') problems.push(`summary.${key} is ${typeof value}, expected a number`);
    else if (!Number.isFinite(value)) problems.push(`summary.${key} is ${value} (written as null in JSON)`);
  }
  return problems;
}

/** Renders the summary as `key = value` lines, sorted by key. */
export function formatSummary(summary: Readonly<Record<string, number>>): string {
  const keys = Object.keys(summary).sort();
  const width = Math.max(0, ...keys.map((k) => k.length));
  return keys.map((k) => `${k.padEnd(width)}  ${summary[k]}`).join('\n');
}
