import { existsSync } from 'node:fs';
import {
  DataError,
  loadModelWithDocument,
  readModelDocument,
  type LoadedModel,
  type ModelDocument,
} from '@ncf/core';
import { checkDataSource, parseDataSource, type DataSource } from './data-source.js';
import { checkSameIdSpace, loadData, type Holdout, type PreparedData } from './load-data.js';
import { cliRegistry } from './registry.js';

/** What `ncf train` records in `model.json`'s training metadata besides fit()'s own fields. */
export interface CliTrainingRecord {
  /** The data the model was trained on (so evaluate/recommend can rebuild the split). */
  readonly data: DataSource;
  /** Seed of the split. */
  readonly splitSeed: number;
  /** How the split was made. */
  readonly split: string;
  /** `none` when nothing was held out (`--holdout none`); absent means leave-one-out. */
  readonly holdout?: Holdout;
  /** Sampled negatives per positive, when training used them. */
  readonly negatives?: number;
}

/** The data spec and split seed a saved model was trained with, unless `--data` overrides the data. */
export function dataOfModel(
  doc: ModelDocument,
  modelDir: string,
  dataFlag: string | undefined,
  seedFlag: number,
): { spec: DataSource; seed: number; holdout: Holdout } {
  const training = doc.training as Partial<Record<string, unknown>>;
  const seed = typeof training.splitSeed === 'number' ? training.splitSeed : seedFlag;
  const holdout: Holdout = training.holdout === 'none' ? 'none' : 'loo';
  if (dataFlag !== undefined) return { spec: parseDataSource(dataFlag), seed, holdout };
  const spec = checkDataSource(training.data, `${modelDir}/model.json`);
  const where = recordedPath(spec);
  if (where !== undefined && !existsSync(where)) {
    throw new DataError(
      `${modelDir}/model.json records its training data at ${where}, which no longer exists (moved or deleted?); ` +
        'pass --data <its new location>',
    );
  }
  return { spec, seed, holdout };
}

/** The file or directory a recorded data source reads, when it is one on disk. */
function recordedPath(spec: DataSource): string | undefined {
  switch (spec.source) {
    case 'movielens-dir':
      return spec.dir;
    case 'ncf-split':
      return `${spec.prefix}.train.rating`;
    case 'file':
      return spec.path;
    default:
      return undefined;
  }
}

/**
 * Loads a saved model and the data it belongs to (its recorded data, or `--data`), and checks they share one
 * id space. The caller disposes `loaded.model`.
 */
export async function loadModelAndData(
  modelDir: string,
  dataFlag: string | undefined,
  seedFlag: number,
): Promise<{ loaded: LoadedModel; data: PreparedData }> {
  const doc = await readModelDocument(modelDir);
  const { spec, seed, holdout } = dataOfModel(doc, modelDir, dataFlag, seedFlag);
  // The model file carries the inputs the model reads; the data is needed for the split and the id maps.
  const data = await loadData(spec, { seed, holdout });
  const loaded = await loadModelWithDocument(modelDir, { registry: cliRegistry() });
  try {
    checkSameIdSpace(loaded.model.info, data, modelDir);
  } catch (err) {
    loaded.model.dispose();
    throw err;
  }
  return { loaded, data };
}
