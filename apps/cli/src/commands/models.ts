import { NcfError } from '@ncf/core';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';

/** Options of `ncf models` as commander (or a config file) hands them over. */
export interface ModelsCommandOptions extends GlobalOptions {
  readonly [key: string]: unknown;
}

/** `ncf models`. */
export async function runModels(_options: ModelsCommandOptions, _io: CliIo): Promise<void> {
  throw new NcfError('NOT_IMPLEMENTED', 'ncf models is not wired yet');
}
