import { join } from 'node:path';
import type { Recommender } from '../model.js';
import { MODEL_JSON, WEIGHTS_BIN, fileSystemIOHandler } from './fs-io-handler.js';
import {
  checkModelDocument,
  loadModelFromArtifacts,
  type LoadModelOptions,
  type LoadedModel,
} from './load-from-artifacts.js';
import type { ModelDocument } from './model-document.js';

export type { LoadModelOptions, LoadedModel } from './load-from-artifacts.js';

/** Reads and validates `model.json` of `dir` without loading weights or creating a model. */
export async function readModelDocument(dir: string): Promise<ModelDocument> {
  // Loading the artifacts also checks weights integrity; cheap next to creating a model.
  const artifacts = await fileSystemIOHandler(dir).load!();
  return checkModelDocument(join(dir, MODEL_JSON), artifacts.format, artifacts.userDefinedMetadata);
}

/**
 * Loads a model saved by {@link saveModel} from directory `dir` (weights integrity checked by
 * {@link fileSystemIOHandler}); see {@link loadModelFromArtifacts} for the checks and errors.
 */
export async function loadModelWithDocument(
  dir: string,
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  const artifacts = await fileSystemIOHandler(dir).load!();
  return loadModelFromArtifacts(
    artifacts,
    { json: join(dir, MODEL_JSON), weights: join(dir, WEIGHTS_BIN) },
    options,
  );
}

/** Loads a model saved by {@link saveModel}; see {@link loadModelWithDocument}. */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<Recommender> {
  return (await loadModelWithDocument(dir, options)).model;
}
