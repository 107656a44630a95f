import { CommanderError } from 'commander';
import { ConfigError, NcfError } from '@ncf/core';
import type { CliIo } from './cli-io.js';

/**
 * Exit codes of `ncf`: 0 success; 1 a runtime failure (bad data, a bad or missing model file, an unknown id,
 * an aborted run, an unexpected error); 2 a usage error (an unknown option or command, a bad option value or
 * config file: a {@link ConfigError}), so scripts can tell "fix the command" from "fix the inputs".
 * Ctrl-C exits 130.
 */
export const EXIT_CODES = Object.freeze({ ok: 0, runtime: 1, usage: 2, interrupted: 130 } as const);

/**
 * Turns an error into what the user sees and an exit code ({@link EXIT_CODES}). An {@link NcfError} is one
 * line on stderr, its stack only with `--verbose`; a {@link ConfigError} exits as a usage error. Commander's
 * own usage errors were already printed by commander. Anything else is a bug: one line plus a hint to rerun
 * with `--verbose` (or the stack when verbose).
 */
export function reportError(err: unknown, io: CliIo, verbose: boolean): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  if (err instanceof NcfError) {
    io.err(`ncf: ${err.message}`);
    if (verbose && err.stack) io.err(err.stack);
    return err instanceof ConfigError ? EXIT_CODES.usage : EXIT_CODES.runtime;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  io.err(`ncf: unexpected error: ${e.message}`);
  io.err(
    verbose && e.stack
      ? e.stack
      : 'ncf: (a bug in @ncf: rerun with --verbose for the stack trace and report it)',
  );
  return EXIT_CODES.runtime;
}
