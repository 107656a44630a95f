import {
  ConfigError,
  checkDataSpec,
  applyDense,
  createDense,
  createEmbedding,
  createRng,
  createTower,
  denseVariables,
  requireBackend,
  requireChoice,
  requireNumber,
  resolveConfig,
  tf,
} from '@ncf/core';
import type {
  CreateOptions,
  DataInputName,
  DataSpec,
  DatasetInfo,
  DenseLayer,
  FeatureMatrix,
  ModelFactory,
  ModelVariable,
  Recommender,
  Tensor1D,
  Tensor2D,
} from '@ncf/core';
import { NCF_LOSSES } from './layers/losses.js';
import type { NcfLoss } from './layers/losses.js';
import { towerAllPairs, towerWithOutput } from './layers/tower.js';
import { NcfModel, checkInfo, ncfDataSpec, requireTower } from './ncf-model.js';
import type { ForwardPass } from './ncf-model.js';
import { NCF_TRAINING_DEFAULTS } from './training-defaults.js';

/** Where a side's representation comes from: its one-hot id (an embedding table) or its feature vector. */
export type BasicNcfInput = 'id' | 'features';

/** The values a config may name for {@link BasicNcfInput}. */
export const BASIC_NCF_INPUTS: readonly BasicNcfInput[] = ['id', 'features'];

/** Config of {@link basicNcfFactory}. */
export interface BasicNcfConfig {
  /** User representation: learned id embedding, or a linear projection of `info.userFeatures`. */
  readonly userInput: BasicNcfInput;
  /** Item representation: learned id embedding, or a linear projection of `info.itemFeatures`. */
  readonly itemInput: BasicNcfInput;
  /** Tower widths; `layers[0] / 2` is the size of each side's projection (see {@link MlpConfig.layers}). */
  readonly layers: readonly number[];
  /** Dropout rate after each hidden layer. */
  readonly dropout: number;
  readonly loss: NcfLoss;
  /** Standard deviation of the N(0, std²) id-embedding initialisation. */
  readonly initStd: number;
}

/** Defaults of {@link basicNcfFactory}: ids on both sides, 64-32-16-8 tower, dropout 0.2, sigmoid cross-entropy. */
export const BASIC_NCF_DEFAULTS: BasicNcfConfig = {
  userInput: 'id',
  itemInput: 'id',
  layers: [64, 32, 16, 8],
  dropout: 0.2,
  loss: 'bce',
  initStd: 0.01,
};

/** Registry kind of {@link basicNcfFactory}. */
export const BASIC_NCF_KIND = 'ncf/basic';

/** One side's input: an embedding table (one-hot id × matrix) or a feature projection. */
interface SideInput {
  readonly table?: ModelVariable;
  readonly features?: FeatureMatrix;
  readonly projection?: DenseLayer;
}

function featureRows(features: FeatureMatrix, ids: Int32Array): Tensor2D {
  const { dim, values } = features;
  const out = new Float32Array(ids.length * dim);
  for (let r = 0; r < ids.length; r++) {
    const src = ids[r]! * dim;
    out.set(values.subarray(src, src + dim), r * dim);
  }
  return tf.tensor2d(out, [ids.length, dim]);
}

/**
 * Basic NCF, the general NCF framework of He et al. ("Neural Collaborative Filtering", WWW 2017, §3.1,
 * Fig. 2): user and item input vectors — one-hot ids, or content features (`info.userFeatures` /
 * `info.itemFeatures`) — each mapped by its own learned linear projection, concatenated, passed through a
 * ReLU tower with dropout and a linear output layer. With ids on both sides it is the MLP model plus dropout;
 * feature inputs let it score cold-start users or items described by features.
 */
export class BasicNcfModel extends NcfModel<BasicNcfConfig> {
  readonly user: SideInput;
  readonly item: SideInput;
  readonly tower: readonly DenseLayer[];
  readonly output: DenseLayer;

  constructor(info: DatasetInfo, config: BasicNcfConfig, seed: number) {
    const rng = createRng(seed);
    const dim = config.layers[0]! / 2;
    const side = (which: 'user' | 'item'): SideInput => {
      const input = which === 'user' ? config.userInput : config.itemInput;
      const rows = which === 'user' ? info.numUsers : info.numItems;
      if (input === 'id') {
        return { table: createEmbedding(`basic/${which}`, rows, dim, rng, { std: config.initStd }) };
      }
      const features = which === 'user' ? info.userFeatures : info.itemFeatures;
      const field = which === 'user' ? 'userFeatures' : 'itemFeatures';
      if (!features) {
        throw new ConfigError(
          `${which}Input 'features' needs info.${field}, which this dataset does not have`,
          `${which}Input`,
        );
      }
      if (
        features.rows !== rows ||
        features.values.length !== features.rows * features.dim ||
        features.dim < 1
      ) {
        throw new ConfigError(
          `info.${field} must have ${rows} rows of dim ≥ 1 with rows × dim values, got ${features.rows} × ${features.dim} and ${features.values.length} values`,
          `${which}Input`,
        );
      }
      const projection = createDense(`basic/${which}_projection`, features.dim, dim, rng, {
        init: 'glorot-uniform',
        activation: 'linear',
      });
      return { features, projection };
    };
    const user = side('user');
    const item = side('item');
    const tower = createTower('basic/mlp', config.layers, rng);
    const out = createDense('out', config.layers[config.layers.length - 1]!, 1, rng, {
      init: 'lecun-uniform',
      activation: 'linear',
    });
    const sideVars = (s: SideInput): ModelVariable[] =>
      s.table ? [s.table] : denseVariables([s.projection!]);
    super(
      BASIC_NCF_KIND,
      info,
      config,
      [...sideVars(user), ...sideVars(item), ...denseVariables(tower), ...denseVariables([out])],
      basicNcfDataSpec(config),
    );
    this.user = user;
    this.item = item;
    this.tower = tower;
    this.output = out;
  }

  #represent(side: SideInput, ids: Int32Array, pass: ForwardPass): Tensor2D {
    if (side.table) return pass.read(side.table, ids);
    return applyDense(side.projection!, featureRows(side.features!, ids));
  }

  #representAll(side: SideInput, count: number): Tensor2D {
    if (side.table) return side.table.variable as unknown as Tensor2D;
    const all = new Int32Array(count);
    for (let i = 0; i < count; i++) all[i] = i;
    return applyDense(side.projection!, featureRows(side.features!, all));
  }

  protected forward(users: Int32Array, items: Int32Array, pass: ForwardPass): Tensor1D {
    const x = tf.concat(
      [this.#represent(this.user, users, pass), this.#represent(this.item, items, pass)],
      1,
    );
    return tf.reshape(towerWithOutput(this.tower, this.output, x, this.config.dropout, pass.rng), [
      users.length,
    ]);
  }

  protected override scoreAllChunk(users: Int32Array): Tensor2D {
    const u = this.user.table
      ? (tf.gather(this.user.table.variable, tf.tensor1d(users, 'int32')) as Tensor2D)
      : applyDense(this.user.projection!, featureRows(this.user.features!, users));
    const h = towerAllPairs(this.tower, u, this.#representAll(this.item, this.info.numItems));
    return tf.reshape(applyDense(this.output, h), [users.length, this.info.numItems]);
  }
}

/** Fills defaults and validates a Basic NCF config (ConfigError on bad values). */
export function resolveBasicNcfConfig(config: Partial<BasicNcfConfig> = {}): Readonly<BasicNcfConfig> {
  return resolveConfig(BASIC_NCF_KIND, BASIC_NCF_DEFAULTS, config, (c) => {
    requireChoice(c.userInput, 'userInput', BASIC_NCF_INPUTS);
    requireChoice(c.itemInput, 'itemInput', BASIC_NCF_INPUTS);
    const layers = requireTower(c.layers, 'layers');
    requireNumber(c.dropout, 'dropout', { min: 0, max: 1, maxExclusive: true });
    requireChoice(c.loss, 'loss', NCF_LOSSES);
    requireNumber(c.initStd, 'initStd', { min: 0, max: 10 });
    return { ...c, layers };
  });
}

/**
 * The data spec of a resolved Basic NCF config: its loss's batches (see {@link ncfDataSpec}) and
 * `userFeatures` / `itemFeatures` for the sides whose input is `'features'`.
 */
export function basicNcfDataSpec(config: BasicNcfConfig): DataSpec {
  const inputs: DataInputName[] = [];
  if (config.userInput === 'features') inputs.push('userFeatures');
  if (config.itemInput === 'features') inputs.push('itemFeatures');
  return ncfDataSpec(config.loss, inputs);
}

/** Factory of {@link BasicNcfModel} (`ncf/basic`). */
export const basicNcfFactory: ModelFactory<BasicNcfConfig> = {
  kind: BASIC_NCF_KIND,
  description:
    'Basic NCF: id or feature inputs, linear projections, MLP with dropout (He et al., WWW 2017, §3.1)',
  defaults: BASIC_NCF_DEFAULTS,
  trainingDefaults: NCF_TRAINING_DEFAULTS,
  dataSpec(config?: Partial<BasicNcfConfig>): DataSpec {
    return basicNcfDataSpec(resolveBasicNcfConfig(config));
  },
  create(
    info: DatasetInfo,
    config?: Partial<BasicNcfConfig>,
    options: CreateOptions = {},
  ): Recommender<BasicNcfConfig> {
    requireBackend();
    checkInfo(info, BASIC_NCF_KIND);
    const resolved = resolveBasicNcfConfig(config);
    checkDataSpec(basicNcfDataSpec(resolved), info);
    return new BasicNcfModel(info, resolved, options.seed ?? 0);
  },
};
