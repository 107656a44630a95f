import type { io } from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors.js';
import type { Recommender, SaveOptions } from '../model.js';
import { fileSystemIOHandler } from './fs-io-handler.js';
import { DATASET_WEIGHT_PREFIX, datasetInfoToJson } from './dataset-json.js';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  libraryVersions,
  ncfCoreVersion,
  type ModelDocument,
} from './model-document.js';
import { readModelWeights } from './variable-arrays.js';
import { encodeArrays } from './weights-codec.js';

/** Builds the tfjs model artifacts of `model` (weights + the @ncf document as `userDefinedMetadata`). */
export function modelArtifacts(model: Recommender, options: SaveOptions = {}): io.ModelArtifacts {
  const weights = readModelWeights(model);
  for (const w of weights) {
    if (w.name.startsWith(DATASET_WEIGHT_PREFIX)) {
      throw new ConfigError(
        `variable name '${w.name}' uses the reserved prefix '${DATASET_WEIGHT_PREFIX}'`,
        'name',
      );
    }
  }
  const dataset = datasetInfoToJson(model.info);
  const { specs, data } = encodeArrays([...weights, ...dataset.arrays]);
  const doc: ModelDocument = {
    formatVersion: MODEL_FORMAT_VERSION,
    kind: model.kind,
    dataSpec: { ...model.dataSpec, inputs: [...model.dataSpec.inputs] },
    config: JSON.parse(JSON.stringify(model.config)) as Record<string, unknown>,
    dataset: dataset.json,
    training: options.training ?? {},
    versions: libraryVersions(),
    savedAt: new Date().toISOString(),
  };
  return {
    format: MODEL_FORMAT,
    generatedBy: `@ncf/core ${ncfCoreVersion()}`,
    convertedBy: null,
    modelTopology: {},
    userDefinedMetadata: doc as unknown as Record<string, object>,
    weightSpecs: specs,
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
  };
}

/**
 * Saves `model` to directory `dir`: a versioned `model.json` (format version, kind, full config, dataset info
 * with id maps, the model's data spec, training metadata, library versions, tfjs weights manifest) and
 * `weights.bin` in tfjs's weights format (every dataset input's arrays — features, graph, user histories, custom
 * inputs — are stored there too). The directory is replaced atomically:
 * a crash mid-save leaves the previous model intact. Models implement {@link Recommender.save} with this.
 */
export async function saveModel(model: Recommender, dir: string, options: SaveOptions = {}): Promise<void> {
  await fileSystemIOHandler(dir).save!(modelArtifacts(model, options));
}
