import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ModelRegistry, fit, initBackend, tf, type ModelFactory, type Recommender } from '@ncf/core';
import { tinyData, tinyDatasetInfo, tinyPointwiseSource, type TinyData } from '@ncf/core/testing';
import { mfFactory, type MfConfig, type MfModel } from '@ncf/models-ncf';
import type { Catalog, UserHistory } from '../src/index.js';

export const DATA: TinyData = tinyData({ numUsers: 24, numItems: 32, clusters: 4, perUser: 5, seed: 3 });

/** Options of {@link trainTinyModel}. */
export interface TinyModelOptions {
  readonly seed?: number;
  readonly epochs?: number;
  /** Record a rating scale in the dataset info (the model still trains on implicit labels). */
  readonly ratingRange?: readonly [number, number];
  /** Save into this directory (replacing a model there) instead of a fresh one. */
  readonly dir?: string;
}

/** Trains a tiny MF on {@link DATA} and saves it; returns the directory. */
export async function trainTinyModel(options: TinyModelOptions = {}): Promise<string> {
  const { seed = 1, epochs = 2 } = options;
  await initBackend('cpu');
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'ncf-serve-model-'));
  const info = { ...tinyDatasetInfo(DATA), itemCounts: tinyItemCounts() };
  const model = mfFactory.create(
    options.ratingRange ? { ...info, ratingRange: options.ratingRange } : info,
    { factors: 4 },
    { seed },
  );
  try {
    await fit(model, tinyPointwiseSource(DATA, 2), {
      epochs,
      batchSize: 64,
      seed,
      optimizer: { name: 'adam', learningRate: 0.05 },
    });
    await model.save(dir, { training: { epochs, seed } });
  } finally {
    model.dispose();
  }
  return dir;
}

/** Training interaction counts per item of {@link DATA} (the popularity fallback's scores). */
export function tinyItemCounts(): Float32Array {
  const counts = new Float32Array(DATA.numItems);
  for (const i of DATA.userItems) counts[i]! += 1;
  return counts;
}

/**
 * Hand-computable history scores for tests: item `i` scores the sum of the values of rated items in its
 * cluster (`i % 4`), plus `i / 1000` to order ties.
 */
export function clusterScores(history: UserHistory, numItems: number, items?: Int32Array): Float32Array {
  const all = Float32Array.from({ length: numItems }, (_, i) => {
    let s = i / 1000;
    for (let h = 0; h < history.items.length; h++)
      if (history.items[h]! % 4 === i % 4) s += history.values[h]!;
    return s;
  });
  return items ? Float32Array.from(items, (i) => all[i]!) : all;
}

/** MF that also scores histories by {@link clusterScores} (hand-computable), for route tests. */
const capableMf: ModelFactory<MfConfig> = {
  ...mfFactory,
  create(info, config, options) {
    const model = mfFactory.create(info, config, options) as MfModel;
    return Object.assign(model, {
      scoreHistory: (history: UserHistory, items?: Int32Array) =>
        clusterScores(history, info.numItems, items),
    }) as Recommender<MfConfig>;
  },
};

/** MF without `itemFactors()`: a model that can neither score a history nor fold a new user in. */
const incapableMf: ModelFactory<MfConfig> = {
  ...mfFactory,
  create(info, config, options) {
    return Object.assign(mfFactory.create(info, config, options), { itemFactors: undefined });
  },
};

/** A registry with plain MF (new users by fold-in over its item vectors). */
export function plainRegistry(): ModelRegistry {
  return new ModelRegistry().register(mfFactory);
}

/** A registry whose MF also scores histories. */
export function capableRegistry(): ModelRegistry {
  return new ModelRegistry().register(capableMf);
}

/** A registry whose MF has neither history scoring nor item vectors. */
export function incapableRegistry(): ModelRegistry {
  return new ModelRegistry().register(incapableMf);
}

/** Titles `Item i` and the training interactions as seen items. */
export async function tinyCatalog(): Promise<Catalog> {
  return {
    itemTitles: Array.from({ length: DATA.numItems }, (_, i) => (i === 7 ? 'The Seventh Seal' : `Item ${i}`)),
    seen: { numRows: DATA.numUsers, numCols: DATA.numItems, offsets: DATA.offsets, indices: DATA.userItems },
  };
}

export { tf };
