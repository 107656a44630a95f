import { formatResultTable, resultToJson, type EvalResult } from '@ncf/eval';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CliIo } from './cli-io.js';

/** Prints evaluation results as \@ncf/eval's table: every number with its protocol line. */
export function printResults(io: CliIo, results: readonly EvalResult[]): void {
  for (const line of formatResultTable(results).split('\n')) io.out(line);
}

/** Writes a JSON document (results through \@ncf/eval's `resultToJson`, so NaN becomes null). */
export function writeJson(
  file: string,
  doc: Record<string, unknown>,
  results: readonly EvalResult[],
): string {
  const out = path.resolve(file);
  writeFileSync(out, `${JSON.stringify({ ...doc, results: results.map(resultToJson) }, null, 2)}\n`);
  return out;
}
