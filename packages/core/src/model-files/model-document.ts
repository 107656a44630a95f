import { readFileSync } from 'node:fs';
import { tf } from '../tf.js';
import type { BatchKind } from '../batch.js';
import type { DataSpec } from '../data-spec.js';
import { ModelFileError } from '../errors.js';
import type { TrainingMetadata } from '../model.js';
import type { DatasetInfoJson } from './dataset-json.js';

/**
 * Version of the model file layout this build writes; loading a newer one throws {@link NewerModelFormatError}.
 * Version 2 stores the model's `dataSpec` and every dataset input generically; version-1 files (which stored
 * `batchKind`) still load.
 */
export const MODEL_FORMAT_VERSION = 2;

/** Value of `model.json`'s tfjs `format` field for @ncf models. */
export const MODEL_FORMAT = 'ncf-model';

/** A model file written by a newer @ncf than this one. */
export class NewerModelFormatError extends ModelFileError {
  readonly found: number;
  readonly supported: number;
  constructor(file: string, found: number) {
    super(
      file,
      `has format version ${found}, but this @ncf/core reads versions up to ${MODEL_FORMAT_VERSION}; ` +
        'upgrade @ncf/core to load it',
    );
    this.found = found;
    this.supported = MODEL_FORMAT_VERSION;
  }
}

/** The @ncf part of `model.json` (tfjs's `userDefinedMetadata`). */
export interface ModelDocument {
  readonly formatVersion: number;
  readonly kind: string;
  /** The model's data needs (format version 2 on); loading checks it against the factory's. */
  readonly dataSpec?: DataSpec;
  /** Format version 1 only: the batch kind (`'graph'` then meant pairwise triples). */
  readonly batchKind?: BatchKind | 'graph';
  readonly config: Record<string, unknown>;
  readonly dataset: DatasetInfoJson;
  readonly training: TrainingMetadata;
  /** Library versions that wrote the file (`@ncf/core`, `@tensorflow/tfjs-core`, `node`). */
  readonly versions: Readonly<Record<string, string>>;
  readonly savedAt: string;
}

let coreVersion: string | undefined;

/** Version of @ncf/core, read from its package.json. */
export function ncfCoreVersion(): string {
  if (coreVersion === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: string;
      };
      coreVersion = pkg.version ?? 'unknown';
    } catch {
      coreVersion = 'unknown';
    }
  }
  return coreVersion;
}

/** Library versions recorded in model files. */
export function libraryVersions(): Record<string, string> {
  return {
    '@ncf/core': ncfCoreVersion(),
    '@tensorflow/tfjs-core': tf.version_core,
    node: process.versions.node,
  };
}
