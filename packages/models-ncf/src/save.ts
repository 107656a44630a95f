import * as core from '@ncf/core';
import type { Recommender, SaveOptions } from '@ncf/core';

type SaveModelFn = (model: Recommender, dir: string, options?: SaveOptions) => Promise<void>;

/**
 * Saves an NCF model with @ncf/core's model files (`saveModel`): `model.json` with kind, config and dataset
 * info, plus weights keyed by {@link ModelVariable.name}. Loading goes through core's `loadModel`, which
 * re-creates the model from the registry and assigns the weights by name.
 */
export async function saveNcfModel(model: Recommender, dir: string, options?: SaveOptions): Promise<void> {
  const saveModel = (core as unknown as { saveModel?: SaveModelFn }).saveModel;
  if (typeof saveModel !== 'function') {
    throw new core.NcfError('NOT_AVAILABLE', `${model.kind}.save(): this @ncf/core has no saveModel()`);
  }
  await saveModel(model, dir, options);
}
