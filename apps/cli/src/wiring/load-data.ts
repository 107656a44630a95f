import path from 'node:path';
import {
  ConfigError,
  DataError,
  type DataSpec,
  type SeenInteractions,
  type DatasetInfo,
  type IdMapJson,
} from '@ncf/core';
import {
  datasetInfo,
  datasetInfoFor,
  leaveOneOut,
  selectRows,
  userItemsCsr,
  type DatasetInfoExtras,
  type FixedNegatives,
  type Interactions,
} from '@ncf/datasets';
import { negativeListsFromFixed, type EvalData } from '@ncf/eval';
import { defaultDataDir, loadMovieLens, readNcfSplit, writeSyntheticMovieLens } from '@ncf/movielens';
import { readDataFile } from './data-file.js';
import { dataSourceName, type DataSource } from './data-source.js';

/** Train/test interactions of a dataset under the CLI's protocol, with what models and evaluators need. */
export interface PreparedData {
  readonly spec: DataSource;
  /** Split name in reports, e.g. `ml-100k leave-one-out`. */
  readonly name: string;
  readonly train: Interactions;
  readonly test: Interactions;
  /** Dataset info for model factories: sizes, id maps and the inputs the model's data spec names. */
  readonly info: DatasetInfo;
  /** How the split was made, one line. */
  readonly splitText: string;
  /** Fixed test negatives (the NCF paper's `test.negative`), when the data has them. */
  readonly negatives: FixedNegatives | undefined;
  /** Item titles by dense index, when the data has them (MovieLens layouts). */
  readonly itemTitles: readonly string[] | undefined;
  /** Directory the data was read from. */
  readonly dir: string;
}

/** Options of {@link loadData}. */
export interface LoadDataOptions {
  /** Seed of the leave-one-out split's tie-breaking (random hold-out when there are no timestamps). */
  readonly seed: number;
  /** Where synthetic data is written (default: `<cache>/synthetic/<users>x<items>-seed<seed>`). */
  readonly dataDir?: string;
  /**
   * The data spec of the model to train (`factory.dataSpec(config)`): the dataset info then carries exactly
   * the inputs it names (features read from the MovieLens files, the graph and histories built from the
   * training split by \@ncf/datasets' `datasetInfoFor`). Without it the info has sizes and id maps only, which
   * is all `evaluate` and `recommend` need (a saved model carries its own inputs).
   */
  readonly dataSpec?: DataSpec;
  /**
   * `loo` (default): leave-one-out; `none`: nothing held out, every interaction trains (a production model;
   * the test split is empty, so there is nothing to evaluate on).
   */
  readonly holdout?: Holdout;
  readonly signal?: AbortSignal;
}

/** How `ncf train` holds out test data: {@link LoadDataOptions.holdout}. */
export type Holdout = 'loo' | 'none';

/** The split of `interactions` under `holdout`, and its one-line description. */
function splitOf(
  interactions: Interactions,
  options: LoadDataOptions,
): { train: Interactions; test: Interactions; text: string } {
  if (options.holdout === 'none') {
    return {
      train: interactions,
      test: selectRows(interactions, new Int32Array(0)),
      text: 'none held out (--holdout none): every interaction trains',
    };
  }
  const split = leaveOneOut(interactions, { seed: options.seed });
  const by = interactions.timestamps ? 'latest by timestamp' : `random, seed ${options.seed}`;
  return { ...split, text: `leave-one-out (${by}); all ratings are positives` };
}

/**
 * Loads the data a spec names and splits it leave-one-out as in the NCF paper (each user's latest
 * interaction is the test item; every rating counts as a positive). NCF split files come already split.
 * Synthetic data is generated (seeded, deterministic) by \@ncf/movielens and read back by its ml-100k parser.
 */
export async function loadData(spec: DataSource, options: LoadDataOptions): Promise<PreparedData> {
  if (spec.source === 'ncf-split') {
    if (options.holdout === 'none') {
      throw new ConfigError(
        '--holdout none needs unsplit data; NCF split files come already split',
        'holdout',
      );
    }
    const split = await readNcfSplit(spec.prefix, options.signal ? { signal: options.signal } : {});
    return {
      spec,
      name: `${dataSourceName(spec)} (given split)`,
      train: split.train,
      test: split.test,
      info: options.dataSpec ? datasetInfoFor(options.dataSpec, split.train) : datasetInfo(split.train),
      splitText: 'NCF split files (leave-one-out, given)',
      negatives: split.negatives,
      itemTitles: undefined,
      dir: path.dirname(spec.prefix),
    };
  }
  if (spec.source === 'file') {
    const interactions = await readDataFile(spec, options.signal);
    const split = splitOf(interactions, options);
    return {
      spec,
      name: `${dataSourceName(spec)} ${options.holdout === 'none' ? 'all data' : 'leave-one-out'}`,
      train: split.train,
      test: split.test,
      info: infoFor(options.dataSpec, split.train, {}),
      splitText: split.text,
      negatives: undefined,
      itemTitles: undefined,
      dir: path.dirname(spec.path),
    };
  }
  let source: string;
  if (spec.source === 'synthetic') {
    source =
      options.dataDir ??
      path.join(defaultDataDir(), 'synthetic', `${spec.users}x${spec.items}-seed${spec.seed}`);
    await writeSyntheticMovieLens(source, { users: spec.users, items: spec.items, seed: spec.seed });
  } else {
    source = spec.source === 'movielens' ? spec.variant : spec.dir;
  }
  const inputs = options.dataSpec?.inputs ?? [];
  const data = await loadMovieLens(source, {
    ...(inputs.includes('itemFeatures') ? {} : { itemFeatures: false as const }),
    ...(inputs.includes('userFeatures') ? {} : { userFeatures: false as const }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const split = splitOf(data.interactions, options);
  return {
    spec,
    name: `${dataSourceName(spec)} ${options.holdout === 'none' ? 'all data' : 'leave-one-out'}`,
    train: split.train,
    test: split.test,
    info: infoFor(options.dataSpec, split.train, {
      ...(data.info.ratingRange ? { ratingRange: data.info.ratingRange } : {}),
      ...(data.itemFeatures ? { itemFeatures: data.itemFeatures } : {}),
      ...(data.userFeatures ? { userFeatures: data.userFeatures } : {}),
    }),
    splitText: split.text,
    negatives: undefined,
    itemTitles: data.items.titles,
    dir: data.dir,
  };
}

/** The spec's dataset info (inputs it does not name left out), or sizes, id maps and rating range only. */
function infoFor(spec: DataSpec | undefined, train: Interactions, extras: DatasetInfoExtras): DatasetInfo {
  return spec
    ? datasetInfoFor(spec, train, extras)
    : datasetInfo(train, { ...(extras.ratingRange ? { ratingRange: extras.ratingRange } : {}) });
}

function sameIds(a: IdMapJson | undefined, b: IdMapJson | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.ids.length !== b.ids.length) return false;
  for (let i = 0; i < a.ids.length; i++) if (a.ids[i] !== b.ids[i]) return false;
  return true;
}

/**
 * Checks that a model and the data use the same id space (same users and items in the same dense order):
 * otherwise scores would silently go to the wrong users and items.
 */
export function checkSameIdSpace(model: DatasetInfo, data: PreparedData, modelDir: string): void {
  const problems: string[] = [];
  if (model.numUsers !== data.info.numUsers || !sameIds(model.userIds, data.info.userIds)) {
    problems.push(`users (model ${model.numUsers}, data ${data.info.numUsers})`);
  }
  if (model.numItems !== data.info.numItems || !sameIds(model.itemIds, data.info.itemIds)) {
    problems.push(`items (model ${model.numItems}, data ${data.info.numItems})`);
  }
  if (problems.length) {
    throw new DataError(
      `the model in ${modelDir} was trained on other data than ${data.name}: its ${problems.join(' and ')} differ; ` +
        'evaluate it on the data it was trained on',
    );
  }
}

/**
 * Every interaction of the data in the model's dense id space, all splits together (train, validation when
 * there is one, and test): what `ncf recommend` and `ncf serve` leave out of a user's recommendations, so a
 * user's held-out item is never recommended back to them.
 */
export function seenInteractionsOf(data: PreparedData): SeenInteractions {
  const parts = [data.train, data.test];
  const total = parts.reduce((n, p) => n + p.users.length, 0);
  const users = new Int32Array(total);
  const items = new Int32Array(total);
  let at = 0;
  for (const p of parts) {
    users.set(p.users, at);
    items.set(p.items, at);
    at += p.users.length;
  }
  return { users, items, numUsers: data.info.numUsers };
}

/** The evaluator's input: test interactions, training items masked, fixed negatives when the data has them. */
export function evalDataOf(data: PreparedData): EvalData {
  const csr = userItemsCsr(data.train);
  const negatives = data.negatives ? negativeListsFromFixed(data.negatives) : undefined;
  return {
    name: data.name,
    numUsers: data.info.numUsers,
    numItems: data.info.numItems,
    test: {
      users: data.test.users,
      items: data.test.items,
      ...(data.test.ratings ? { ratings: data.test.ratings } : {}),
    },
    exclude: { offsets: csr.offsets, items: csr.indices },
    excludeLabel: 'train',
    ...(negatives ? { negatives } : {}),
  };
}
