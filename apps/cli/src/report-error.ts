import { CommanderError } from 'commander';
import { NcfError } from '@ncf/core';
import type { CliIo } from './cli-io.js';

/**
 * Turns an error into what the user sees and an exit code. An {@link NcfError} (bad input, bad config,
 * missing backend, corrupt model file...) is one line on stderr and exit code 1; its stack only with
 * `--verbose`. Commander's own usage errors were already printed by commander. Anything else is a bug:
 * one line plus a hint to rerun with `--verbose` (or the stack when verbose), exit code 2.
 */
export function reportError(err: unknown, io: CliIo, verbose: boolean): number {
  if (err instanceof CommanderError) return err.exitCode;
  if (err instanceof NcfError) {
    io.err(`ncf: ${err.message}`);
    if (verbose && err.stack) io.err(err.stack);
    return 1;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  io.err(`ncf: unexpected error: ${e.message}`);
  io.err(
    verbose && e.stack
      ? e.stack
      : 'ncf: (a bug in @ncf: rerun with --verbose for the stack trace and report it)',
  );
  return 2;
}
