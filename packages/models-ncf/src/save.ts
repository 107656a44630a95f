import { saveModel } from '@ncf/core';
import type { Recommender, SaveOptions } from '@ncf/core';

/**
 * Saves an NCF model with \@ncf/core's model files (`saveModel`): `model.json` with kind, config and dataset
 * info, plus weights keyed by {@link ModelVariable.name}. Loading goes through core's `loadModel`, which
 * re-creates the model from the registry (call {@link registerNcfModels} first) and assigns the weights by name.
 */
export async function saveNcfModel(model: Recommender, dir: string, options?: SaveOptions): Promise<void> {
  await saveModel(model, dir, options);
}
