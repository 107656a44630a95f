import { join } from 'node:path';
import { ConfigError, DataError, ModelFileError } from '../errors.js';
import { formatDataSpec, sameDataSpec, type DataSpec } from '../data-spec.js';
import type { ModelFactory, Recommender } from '../model.js';
import { defaultRegistry, type ModelRegistry } from '../registry.js';
import { MODEL_JSON, WEIGHTS_BIN, fileSystemIOHandler } from './fs-io-handler.js';
import { datasetInfoFromJson } from './dataset-json.js';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  NewerModelFormatError,
  type ModelDocument,
} from './model-document.js';
import { assignModelWeights } from './variable-arrays.js';
import { decodeArrays } from './weights-codec.js';

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** Where to find the factory of the file's kind. Default: the process-wide `defaultRegistry`. */
  readonly registry?: ModelRegistry;
  /** If given, the file must hold this kind. */
  readonly kind?: string;
}

/** A loaded model with the @ncf document of its `model.json`. */
export interface LoadedModel {
  readonly model: Recommender;
  readonly document: ModelDocument;
}

function checkDocument(file: string, format: unknown, raw: unknown): ModelDocument {
  if (format !== MODEL_FORMAT) {
    throw new ModelFileError(
      file,
      `format is ${JSON.stringify(format)}, expected '${MODEL_FORMAT}' (not an @ncf model file)`,
    );
  }
  const doc = raw as ModelDocument | undefined;
  if (!doc || typeof doc !== 'object')
    throw new ModelFileError(file, "field 'userDefinedMetadata' is missing");
  if (!Number.isInteger(doc.formatVersion) || doc.formatVersion < 1) {
    throw new ModelFileError(
      file,
      `formatVersion must be a positive integer, got ${JSON.stringify(doc.formatVersion)}`,
    );
  }
  if (doc.formatVersion > MODEL_FORMAT_VERSION) throw new NewerModelFormatError(file, doc.formatVersion);
  if (typeof doc.kind !== 'string' || doc.kind === '')
    throw new ModelFileError(file, "field 'kind' is missing");
  if (!doc.config || typeof doc.config !== 'object')
    throw new ModelFileError(file, "field 'config' is missing");
  if (!doc.dataset || typeof doc.dataset !== 'object')
    throw new ModelFileError(file, "field 'dataset' is missing");
  return { ...doc, training: doc.training ?? {}, versions: doc.versions ?? {} };
}

/**
 * Checks the stored data spec against `factory.dataSpec(storedConfig)`. Version-1 files stored only a batch
 * kind, fixed per factory rather than derived from the config (so BPR models recorded a kind their factory
 * disagreed with): their spec is the one derived from the stored config.
 */
function checkStoredSpec(file: string, doc: ModelDocument, factory: ModelFactory<object>): DataSpec {
  let derived: DataSpec;
  try {
    derived = factory.dataSpec(doc.config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ModelFileError(
      file,
      `cannot create a '${doc.kind}' model from the stored config: ${err.message}`,
      { cause: err },
    );
  }
  if (doc.formatVersion === 1) return derived;
  const stored = doc.dataSpec;
  if (!stored || typeof stored !== 'object' || !Array.isArray(stored.inputs)) {
    throw new ModelFileError(file, "field 'dataSpec' is missing or not {batch, labels?, inputs: [...]}");
  }
  if (!sameDataSpec(stored, derived)) {
    throw new ModelFileError(
      file,
      `stores dataSpec (${formatDataSpec(stored)}) but '${doc.kind}' with the stored config needs ` +
        `(${formatDataSpec(derived)}); the file and the installed model package disagree`,
    );
  }
  return derived;
}

/** Reads and validates `model.json` of `dir` without loading weights or creating a model. */
export async function readModelDocument(dir: string): Promise<ModelDocument> {
  // Loading the artifacts also checks weights integrity; cheap next to creating a model.
  const artifacts = await fileSystemIOHandler(dir).load!();
  return checkDocument(join(dir, MODEL_JSON), artifacts.format, artifacts.userDefinedMetadata);
}

/**
 * Loads a model saved by {@link saveModel}: validates the format version (a newer one throws
 * {@link NewerModelFormatError}), the kind (registered, and equal to `options.kind` when given), the stored data
 * spec (equal to `factory.dataSpec(storedConfig)`; version-1 files derive it), sizes, shapes
 * and the weights' integrity, then creates the model through `registry.get(kind).create(info, config)` and
 * assigns the weights by variable name. Every problem is a {@link ModelFileError} naming the file.
 */
export async function loadModelWithDocument(
  dir: string,
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  const registry = options.registry ?? defaultRegistry;
  const artifacts = await fileSystemIOHandler(dir).load!();
  const jsonFile = join(dir, MODEL_JSON);
  const doc = checkDocument(jsonFile, artifacts.format, artifacts.userDefinedMetadata);
  if (options.kind !== undefined && options.kind !== doc.kind) {
    throw new ModelFileError(jsonFile, `holds a model of kind '${doc.kind}', expected '${options.kind}'`);
  }
  if (!registry.has(doc.kind)) {
    throw new ModelFileError(
      jsonFile,
      `model kind '${doc.kind}' is not registered (registered: ${registry.kinds().join(', ') || 'none'}); ` +
        'register its factory before loading',
    );
  }
  const factory = registry.get(doc.kind);
  checkStoredSpec(jsonFile, doc, factory);
  const weightsFile = join(dir, WEIGHTS_BIN);
  const arrays = decodeArrays(
    artifacts.weightSpecs ?? [],
    new Uint8Array(artifacts.weightData as ArrayBuffer),
    weightsFile,
  );
  const info = datasetInfoFromJson(jsonFile, doc.dataset, arrays);
  let model: Recommender;
  try {
    const seed = typeof doc.training.seed === 'number' ? doc.training.seed : undefined;
    model = factory.create(info, doc.config, seed === undefined ? {} : { seed });
  } catch (err) {
    // A config the factory rejects is a problem of the file; anything else (no backend, ...) is not.
    if (!(err instanceof ConfigError || err instanceof DataError)) throw err;
    throw new ModelFileError(
      jsonFile,
      `cannot create a '${doc.kind}' model from the stored config: ${err.message}`,
      {
        cause: err,
      },
    );
  }
  try {
    assignModelWeights(model, arrays, weightsFile);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { model, document: doc };
}

/** Loads a model saved by {@link saveModel}; see {@link loadModelWithDocument}. */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<Recommender> {
  return (await loadModelWithDocument(dir, options)).model;
}
