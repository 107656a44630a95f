import { NcfError } from '@ncf/core';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';

/** Options of `ncf train` as commander (or a config file) hands them over. */
export interface TrainCommandOptions extends GlobalOptions {
  readonly [key: string]: unknown;
}

/** `ncf train`. */
export async function runTrain(_options: TrainCommandOptions, _io: CliIo): Promise<void> {
  throw new NcfError('NOT_IMPLEMENTED', 'ncf train is not wired yet');
}
