import { NcfError } from '@ncf/core';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';

/** Options of `ncf evaluate` as commander (or a config file) hands them over. */
export interface EvaluateCommandOptions extends GlobalOptions {
  readonly [key: string]: unknown;
}

/** `ncf evaluate`. */
export async function runEvaluate(_options: EvaluateCommandOptions, _io: CliIo): Promise<void> {
  throw new NcfError('NOT_IMPLEMENTED', 'ncf evaluate is not wired yet');
}
