import { NcfError } from '@ncf/core';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';

/** Options of `ncf demo` as commander (or a config file) hands them over. */
export interface DemoCommandOptions extends GlobalOptions {
  readonly [key: string]: unknown;
}

/** `ncf demo`. */
export async function runDemo(_options: DemoCommandOptions, _io: CliIo): Promise<void> {
  throw new NcfError('NOT_IMPLEMENTED', 'ncf demo is not wired yet');
}
