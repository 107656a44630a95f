import {
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
  DataSpec,
  CreateOptions,
  DatasetInfo,
  DenseLayer,
  ModelFactory,
  ModelVariable,
  Recommender,
  Tensor1D,
  Tensor2D,
} from '@ncf/core';
import { DENSE_INITS, hiddenInit, outputInit } from './layers/dense-init.js';
import type { DenseInit } from './layers/dense-init.js';
import { NCF_LOSSES } from './layers/losses.js';
import type { NcfLoss } from './layers/losses.js';
import { towerAllPairs, towerWithOutput } from './layers/tower.js';
import { NcfModel, checkInfo, ncfDataSpec, requireTower } from './ncf-model.js';
import type { ForwardPass } from './ncf-model.js';
import { NCF_TRAINING_DEFAULTS } from './training-defaults.js';

/** Config of {@link mlpFactory}. */
export interface MlpConfig {
  /**
   * Tower widths: `layers[0]` is the input (concatenated user and item embeddings, so the embedding size is
   * `layers[0] / 2`), every further entry a ReLU layer; the last is the number of predictive factors.
   */
  readonly layers: readonly number[];
  readonly loss: NcfLoss;
  /** Standard deviation of the N(0, std²) embedding initialisation. */
  readonly initStd: number;
  /** Dropout rate after each hidden layer (the paper uses none). */
  readonly dropout: number;
  /**
   * Dense-layer initialisation: `paper` (the NCF paper's Keras code: Glorot/LeCun-uniform, zero biases) or
   * `pytorch` (nn.Linear's default, U(±1/sqrt(fanIn)) kernels and biases, as the PyTorch peer). Default `paper`.
   */
  readonly denseInit: DenseInit;
}

/** Defaults of {@link mlpFactory}: the NCF paper's 64-32-16-8 tower (embeddings of 32), no dropout. */
export const MLP_DEFAULTS: MlpConfig = {
  layers: [64, 32, 16, 8],
  loss: 'bce',
  initStd: 0.01,
  dropout: 0,
  denseInit: 'paper',
};

/** Registry kind of {@link mlpFactory}. */
export const MLP_KIND = 'ncf/mlp';

/**
 * The MLP model of He et al., "Neural Collaborative Filtering" (WWW 2017, §3.3): `concat(p_u, q_i)` through a
 * tower of ReLU layers (Glorot-uniform) and a linear prediction layer (LeCun-uniform). `scoreAll` splits the
 * first layer into per-user and per-item halves and runs the rest of the tower batched.
 */
export class MlpModel extends NcfModel<MlpConfig> {
  readonly userEmbedding: ModelVariable;
  readonly itemEmbedding: ModelVariable;
  readonly tower: readonly DenseLayer[];
  readonly output: DenseLayer;

  constructor(info: DatasetInfo, config: MlpConfig, seed: number) {
    const rng = createRng(seed);
    const dim = config.layers[0]! / 2;
    const p = createEmbedding('mlp/user', info.numUsers, dim, rng, { std: config.initStd });
    const q = createEmbedding('mlp/item', info.numItems, dim, rng, { std: config.initStd });
    const tower = createTower('mlp', config.layers, rng, hiddenInit(config.denseInit));
    const out = createDense('out', config.layers[config.layers.length - 1]!, 1, rng, {
      init: outputInit(config.denseInit),
      activation: 'linear',
    });
    super(MLP_KIND, info, config, [p, q, ...denseVariables(tower), ...denseVariables([out])]);
    this.userEmbedding = p;
    this.itemEmbedding = q;
    this.tower = tower;
    this.output = out;
  }

  protected forward(users: Int32Array, items: Int32Array, pass: ForwardPass): Tensor1D {
    const x = tf.concat([pass.read(this.userEmbedding, users), pass.read(this.itemEmbedding, items)], 1);
    return tf.reshape(towerWithOutput(this.tower, this.output, x, this.config.dropout, pass.rng), [
      users.length,
    ]);
  }

  protected override scoreAllChunk(users: Int32Array): Tensor2D {
    const pu = tf.gather(this.userEmbedding.variable, tf.tensor1d(users, 'int32')) as Tensor2D;
    const h = towerAllPairs(this.tower, pu, this.itemEmbedding.variable as unknown as Tensor2D);
    return tf.reshape(applyDense(this.output, h), [users.length, this.info.numItems]);
  }
}

/** Fills defaults and validates an MLP config (ConfigError on bad values). */
export function resolveMlpConfig(config: Partial<MlpConfig> = {}): Readonly<MlpConfig> {
  return resolveConfig(MLP_KIND, MLP_DEFAULTS, config, (c) => {
    const layers = requireTower(c.layers, 'layers');
    requireChoice(c.loss, 'loss', NCF_LOSSES);
    requireChoice(c.denseInit, 'denseInit', DENSE_INITS);
    requireNumber(c.initStd, 'initStd', { min: 0, max: 10 });
    requireNumber(c.dropout, 'dropout', { min: 0, max: 1, maxExclusive: true });
    return { ...c, layers };
  });
}

/** Factory of {@link MlpModel} (`ncf/mlp`). */
export const mlpFactory: ModelFactory<MlpConfig> = {
  kind: MLP_KIND,
  description:
    'Multi-layer perceptron over concatenated embeddings (He et al., Neural Collaborative Filtering, WWW 2017)',
  defaults: MLP_DEFAULTS,
  trainingDefaults: NCF_TRAINING_DEFAULTS,
  dataSpec(config?: Partial<MlpConfig>): DataSpec {
    return ncfDataSpec(resolveMlpConfig(config).loss);
  },
  create(
    info: DatasetInfo,
    config?: Partial<MlpConfig>,
    options: CreateOptions = {},
  ): Recommender<MlpConfig> {
    requireBackend();
    checkInfo(info, MLP_KIND);
    return new MlpModel(info, resolveMlpConfig(config), options.seed ?? 0);
  },
};
