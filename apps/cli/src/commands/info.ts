import { NcfError } from '@ncf/core';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';

/** Options of `ncf info` as commander (or a config file) hands them over. */
export interface InfoCommandOptions extends GlobalOptions {
  readonly [key: string]: unknown;
}

/** `ncf info`. */
export async function runInfo(_options: InfoCommandOptions, _io: CliIo): Promise<void> {
  throw new NcfError('NOT_IMPLEMENTED', 'ncf info is not wired yet');
}
