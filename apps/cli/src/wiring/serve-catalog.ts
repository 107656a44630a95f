import type { Catalog, CatalogLoader } from '@ncf/serve';
import { seenCsr } from '@ncf/core';
import type { CliIo } from '../cli-io.js';
import { dataOfModel } from './saved-model.js';
import { checkSameIdSpace, loadData, seenInteractionsOf } from './load-data.js';

/**
 * The serve catalogue of a model trained by `ncf train`: titles and each user's items in every split (to exclude
 * seen items), from the data recorded in `model.json` (or `--data`). Data that cannot be found is a warning,
 * not a failure: the server then answers without titles and without excluding seen items (it says so in
 * every response), because the model itself is all that serving needs.
 */
export function cliCatalogLoader(dataFlag: string | undefined, io: CliIo): CatalogLoader {
  return async (dir, document, model): Promise<Catalog> => {
    let data;
    try {
      const { spec, seed, holdout } = dataOfModel(document, dir, dataFlag, 42);
      data = await loadData(spec, { seed, holdout });
    } catch (err) {
      if (dataFlag !== undefined) throw err;
      io.err(`ncf serve: no titles or seen items for ${dir}: ${(err as Error).message}`);
      return {};
    }
    checkSameIdSpace(model.info, data, dir);
    return {
      seen: seenCsr(seenInteractionsOf(data), data.info.numUsers),
      ...(data.itemTitles ? { itemTitles: data.itemTitles } : {}),
    };
  };
}
