import {
  createEmbedding,
  createModelVariable,
  createRng,
  requireBackend,
  requireBoolean,
  requireChoice,
  requireInt,
  requireNumber,
  resolveConfig,
  rowDot,
  tf,
} from '@ncf/core';
import type {
  DataSpec,
  DatasetInfo,
  ItemFactors,
  ModelFactory,
  ModelVariable,
  Recommender,
  CreateOptions,
  Scalar,
  Tensor1D,
  Tensor2D,
} from '@ncf/core';
import { NCF_LOSSES } from './layers/losses.js';
import type { NcfLoss } from './layers/losses.js';
import { NcfModel, checkInfo, ncfDataSpec } from './ncf-model.js';
import type { ForwardPass } from './ncf-model.js';
import { NCF_TRAINING_DEFAULTS } from './training-defaults.js';

/** Config of {@link mfFactory}. */
export interface MfConfig {
  /** Embedding size (latent factors). */
  readonly factors: number;
  readonly loss: NcfLoss;
  /** Standard deviation of the N(0, std²) embedding initialisation. */
  readonly initStd: number;
  /** User, item and global biases (Rendle et al. 2020 use all three). */
  readonly biases: boolean;
  /**
   * Per-sample L2, Rendle et al. 2020's λ: each training pair adds `(λ/2)·(‖p_u‖² + ‖q_i‖² + b_u² + b_i²)` to its
   * loss, so a row shrinks once per pair that uses it — active users and popular items are regularised more
   * (frequency-weighted regularisation, the semantics of their per-sample SGD reference code). With the batch
   * mean loss, SGD at learning rate `B·η` on batches of `B` applies their per-sample update at rate `η`, summed
   * over the batch. Independent of the optimizer's `l2`, which shrinks each touched row once per batch
   * (embeddings only). Default 0.
   */
  readonly l2PerSample: number;
}

/** Defaults of {@link mfFactory}: 8 factors (the NCF paper's ML-1M setting), sigmoid cross-entropy, N(0, 0.01). */
export const MF_DEFAULTS: MfConfig = {
  factors: 8,
  loss: 'bce',
  initStd: 0.01,
  biases: true,
  l2PerSample: 0,
};

/** Registry kind of {@link mfFactory}. */
export const MF_KIND = 'ncf/mf';

/**
 * Matrix factorisation: `x_ui = p_u · q_i + b_u + b_i + b` — the dot-product baseline of Rendle, Krichene,
 * Zhang and Anderson, "Neural Collaborative Filtering vs. Matrix Factorization Revisited" (RecSys 2020).
 * Embeddings and biases are sparse tables; `scoreAll` is one matrix product.
 */
export class MfModel extends NcfModel<MfConfig> {
  readonly userEmbedding: ModelVariable;
  readonly itemEmbedding: ModelVariable;
  readonly userBias: ModelVariable | undefined;
  readonly itemBias: ModelVariable | undefined;
  readonly globalBias: ModelVariable | undefined;

  constructor(info: DatasetInfo, config: MfConfig, seed: number) {
    const rng = createRng(seed);
    const p = createEmbedding('mf/user', info.numUsers, config.factors, rng, { std: config.initStd });
    const q = createEmbedding('mf/item', info.numItems, config.factors, rng, { std: config.initStd });
    const vars: ModelVariable[] = [p, q];
    let bu: ModelVariable | undefined;
    let bi: ModelVariable | undefined;
    let b: ModelVariable | undefined;
    if (config.biases) {
      bu = createEmbedding('mf/user_bias', info.numUsers, 1, rng, { std: 0, regularize: false });
      bi = createEmbedding('mf/item_bias', info.numItems, 1, rng, { std: 0, regularize: false });
      // For ratings, start the global bias at the middle of the scale so early steps fit the structure.
      const start =
        config.loss === 'mse' && info.ratingRange ? (info.ratingRange[0] + info.ratingRange[1]) / 2 : 0;
      b = createModelVariable('mf/global_bias', Float32Array.of(start), [1], {
        sparse: false,
        regularize: false,
        trainable: true,
      });
      vars.push(bu, bi, b);
    }
    super(MF_KIND, info, config, vars);
    this.userEmbedding = p;
    this.itemEmbedding = q;
    this.userBias = bu;
    this.itemBias = bi;
    this.globalBias = b;
  }

  protected forward(users: Int32Array, items: Int32Array, pass: ForwardPass): Tensor1D {
    const pu = pass.read(this.userEmbedding, users);
    const qi = pass.read(this.itemEmbedding, items);
    const rows: Tensor2D[] = [pu, qi]; // the rows each pair uses (what per-sample L2 shrinks)
    let score = rowDot(pu, qi);
    if (this.userBias && this.itemBias && this.globalBias) {
      const bu = pass.read(this.userBias, users);
      const bi = pass.read(this.itemBias, items);
      rows.push(bu, bi);
      const bias = tf.reshape(tf.add(bu, bi), [users.length]);
      // A broadcasting add, not broadcastTo: tfjs's Tile gradient issues two kernels per batch row.
      score = tf.add(tf.add(score, bias), this.globalBias.variable) as Tensor1D;
    }
    if (pass.training && this.config.l2PerSample > 0) {
      // (λ/2)·mean over pairs of the squared norms of their rows.
      const squares = tf.addN(rows.map((r) => rowDot(r, r)));
      pass.penalize(tf.mul(tf.mean(squares), this.config.l2PerSample / 2) as Scalar);
    }
    return score;
  }

  /**
   * The item side of `x_ui = p_u · q_i + b_u + b_i + b` for fold-in: vectors `q_i`, biases `b_i`, offset `b`,
   * a user bias when the model has biases; `rating` output for `mse`, else `logit`. Copies of the weights.
   */
  itemFactors(): ItemFactors {
    const vectors = Float32Array.from(this.itemEmbedding.variable.dataSync() as Float32Array);
    const common = {
      dim: this.config.factors,
      vectors,
      output: this.config.loss === 'mse' ? ('rating' as const) : ('logit' as const),
    };
    if (!this.itemBias || !this.globalBias) return { ...common, userBias: false };
    return {
      ...common,
      bias: Float32Array.from(this.itemBias.variable.dataSync() as Float32Array),
      offset: (this.globalBias.variable.dataSync() as Float32Array)[0]!,
      userBias: true,
    };
  }

  protected override scoreAllChunkPairs(): number {
    return 1 << 20;
  }

  protected override scoreAllChunk(users: Int32Array): Tensor2D {
    const idx = tf.tensor1d(users, 'int32');
    const pu = tf.gather(this.userEmbedding.variable, idx) as Tensor2D;
    let s = tf.matMul(pu, this.itemEmbedding.variable as unknown as Tensor2D, false, true);
    if (this.userBias && this.itemBias && this.globalBias) {
      const bu = tf.gather(this.userBias.variable, idx); // [U, 1]
      const bi = tf.reshape(this.itemBias.variable, [1, this.info.numItems]);
      s = tf.add(tf.add(s, bu), tf.add(bi, this.globalBias.variable));
    }
    return s as Tensor2D;
  }
}

/** Fills defaults and validates an MF config (ConfigError on bad values). */
export function resolveMfConfig(config: Partial<MfConfig> = {}): Readonly<MfConfig> {
  return resolveConfig(MF_KIND, MF_DEFAULTS, config, (c) => {
    requireInt(c.factors, 'factors', { min: 1 });
    requireChoice(c.loss, 'loss', NCF_LOSSES);
    requireNumber(c.initStd, 'initStd', { min: 0, max: 10 });
    requireBoolean(c.biases, 'biases');
    requireNumber(c.l2PerSample, 'l2PerSample', { min: 0 });
  });
}

/** Factory of {@link MfModel} (`ncf/mf`). */
export const mfFactory: ModelFactory<MfConfig> = {
  kind: MF_KIND,
  description: 'Matrix factorisation with user/item/global biases (Rendle et al., RecSys 2020)',
  defaults: MF_DEFAULTS,
  trainingDefaults: NCF_TRAINING_DEFAULTS,
  dataSpec(config?: Partial<MfConfig>): DataSpec {
    return ncfDataSpec(resolveMfConfig(config).loss);
  },
  create(info: DatasetInfo, config?: Partial<MfConfig>, options: CreateOptions = {}): Recommender<MfConfig> {
    requireBackend();
    checkInfo(info, MF_KIND);
    return new MfModel(info, resolveMfConfig(config), options.seed ?? 0);
  },
};
