import { NcfError } from '@ncf/core';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';

/** Options of `ncf recommend` as commander (or a config file) hands them over. */
export interface RecommendCommandOptions extends GlobalOptions {
  readonly [key: string]: unknown;
}

/** `ncf recommend`. */
export async function runRecommend(_options: RecommendCommandOptions, _io: CliIo): Promise<void> {
  throw new NcfError('NOT_IMPLEMENTED', 'ncf recommend is not wired yet');
}
