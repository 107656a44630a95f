import { NcfError } from '../errors.js';
import type { Recommender, SaveOptions } from '../model.js';

/**
 * The browser entry's `saveModel`: model files are written by Node (`saveModel` of `@ncf/core`), so in a page
 * saving throws a typed error instead of pulling Node's file system code into the bundle. Model packages import
 * `saveModel` from `@ncf/core`; under the `browser` export condition they get this one.
 */
export async function saveModel(model: Recommender, dir: string, _options?: SaveOptions): Promise<void> {
  throw new NcfError(
    'NODE_ONLY',
    `cannot save the ${model.kind} model to '${dir}' in a browser: model files are written by Node's @ncf/core`,
  );
}
