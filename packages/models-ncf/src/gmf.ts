import {
  applyDense,
  createDense,
  createEmbedding,
  createRng,
  denseVariables,
  requireBackend,
  requireChoice,
  requireInt,
  requireNumber,
  resolveConfig,
  tf,
} from '@ncf/core';
import type {
  DataSpec,
  CreateOptions,
  DatasetInfo,
  DenseLayer,
  ItemFactors,
  ModelFactory,
  ModelVariable,
  Recommender,
  Tensor1D,
  Tensor2D,
} from '@ncf/core';
import { DENSE_INITS, outputInit } from './layers/dense-init.js';
import type { DenseInit } from './layers/dense-init.js';
import { NCF_LOSSES } from './layers/losses.js';
import type { NcfLoss } from './layers/losses.js';
import { NcfModel, checkInfo, ncfDataSpec } from './ncf-model.js';
import type { ForwardPass } from './ncf-model.js';
import { NCF_TRAINING_DEFAULTS } from './training-defaults.js';

/** Config of {@link gmfFactory}. */
export interface GmfConfig {
  /** Embedding size = predictive factors. */
  readonly factors: number;
  readonly loss: NcfLoss;
  /** Standard deviation of the N(0, std²) embedding initialisation. */
  readonly initStd: number;
  /**
   * Dense-layer initialisation: `paper` (the NCF paper's Keras code: Glorot/LeCun-uniform, zero biases) or
   * `pytorch` (nn.Linear's default, U(±1/sqrt(fanIn)) kernels and biases, as the PyTorch peer). Default `paper`.
   */
  readonly denseInit: DenseInit;
}

/** Defaults of {@link gmfFactory}: the NCF paper's 8 factors, sigmoid cross-entropy, N(0, 0.01). */
export const GMF_DEFAULTS: GmfConfig = { factors: 8, loss: 'bce', initStd: 0.01, denseInit: 'paper' };

/** Registry kind of {@link gmfFactory}. */
export const GMF_KIND = 'ncf/gmf';

/**
 * Generalized Matrix Factorization (He, Liao, Zhang, Nie, Hu, Chua, "Neural Collaborative Filtering",
 * WWW 2017, §3.2): `x_ui = hᵀ(p_u ⊙ q_i) + b`, with a learned output weight `h` (LeCun-uniform, as the
 * paper's code). `scoreAll` is one matrix product `(P_U ⊙ hᵀ) Qᵀ`.
 */
export class GmfModel extends NcfModel<GmfConfig> {
  readonly userEmbedding: ModelVariable;
  readonly itemEmbedding: ModelVariable;
  readonly output: DenseLayer;

  constructor(info: DatasetInfo, config: GmfConfig, seed: number) {
    const rng = createRng(seed);
    const p = createEmbedding('gmf/user', info.numUsers, config.factors, rng, { std: config.initStd });
    const q = createEmbedding('gmf/item', info.numItems, config.factors, rng, { std: config.initStd });
    const out = createDense('out', config.factors, 1, rng, {
      init: outputInit(config.denseInit),
      activation: 'linear',
    });
    super(GMF_KIND, info, config, [p, q, ...denseVariables([out])]);
    this.userEmbedding = p;
    this.itemEmbedding = q;
    this.output = out;
  }

  protected forward(users: Int32Array, items: Int32Array, pass: ForwardPass): Tensor1D {
    const g = tf.mul(pass.read(this.userEmbedding, users), pass.read(this.itemEmbedding, items)) as Tensor2D;
    return tf.reshape(applyDense(this.output, g), [users.length]);
  }

  /**
   * The item side of `x_ui = hᵀ(p_u ⊙ q_i) + b = p_u · (h ⊙ q_i) + b` for fold-in: effective item vectors
   * `h ⊙ q_i`, offset `b` (the output layer's bias), no user or item bias; `rating` output for `mse`, else
   * `logit`. Copies of the weights.
   */
  itemFactors(): ItemFactors {
    const d = this.config.factors;
    const q = this.itemEmbedding.variable.dataSync() as Float32Array;
    const h = this.output.kernel.variable.dataSync() as Float32Array;
    const vectors = new Float32Array(q.length);
    for (let i = 0; i < q.length; i += d) {
      for (let k = 0; k < d; k++) vectors[i + k] = q[i + k]! * h[k]!;
    }
    return {
      dim: d,
      vectors,
      offset: (this.output.bias.variable.dataSync() as Float32Array)[0]!,
      userBias: false,
      output: this.config.loss === 'mse' ? 'rating' : 'logit',
    };
  }

  protected override scoreAllChunkPairs(): number {
    return 1 << 20;
  }

  protected override scoreAllChunk(users: Int32Array): Tensor2D {
    const pu = tf.gather(this.userEmbedding.variable, tf.tensor1d(users, 'int32')) as Tensor2D;
    const h = tf.reshape(this.output.kernel.variable, [1, this.config.factors]);
    const s = tf.matMul(
      tf.mul(pu, h) as Tensor2D,
      this.itemEmbedding.variable as unknown as Tensor2D,
      false,
      true,
    );
    return tf.add(s, this.output.bias.variable);
  }
}

/** Fills defaults and validates a GMF config (ConfigError on bad values). */
export function resolveGmfConfig(config: Partial<GmfConfig> = {}): Readonly<GmfConfig> {
  return resolveConfig(GMF_KIND, GMF_DEFAULTS, config, (c) => {
    requireInt(c.factors, 'factors', { min: 1 });
    requireChoice(c.loss, 'loss', NCF_LOSSES);
    requireChoice(c.denseInit, 'denseInit', DENSE_INITS);
    requireNumber(c.initStd, 'initStd', { min: 0, max: 10 });
  });
}

/** Factory of {@link GmfModel} (`ncf/gmf`). */
export const gmfFactory: ModelFactory<GmfConfig> = {
  kind: GMF_KIND,
  description: 'Generalized Matrix Factorization (He et al., Neural Collaborative Filtering, WWW 2017)',
  defaults: GMF_DEFAULTS,
  trainingDefaults: NCF_TRAINING_DEFAULTS,
  dataSpec(config?: Partial<GmfConfig>): DataSpec {
    return ncfDataSpec(resolveGmfConfig(config).loss);
  },
  create(
    info: DatasetInfo,
    config?: Partial<GmfConfig>,
    options: CreateOptions = {},
  ): Recommender<GmfConfig> {
    requireBackend();
    checkInfo(info, GMF_KIND);
    return new GmfModel(info, resolveGmfConfig(config), options.seed ?? 0);
  },
};
