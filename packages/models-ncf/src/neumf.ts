import {
  ConfigError,
  applyDense,
  createDense,
  createEmbedding,
  createRng,
  createTower,
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
import { GmfModel } from './gmf.js';
import { MlpModel } from './mlp.js';
import { towerAllPairs, towerForward } from './layers/tower.js';
import { NcfModel, checkInfo, ncfDataSpec, requireTower } from './ncf-model.js';
import type { ForwardPass } from './ncf-model.js';
import { NCF_TRAINING_DEFAULTS } from './training-defaults.js';

/** Config of {@link neumfFactory}. */
export interface NeuMfConfig {
  /** GMF embedding size (predictive factors of the GMF branch). */
  readonly factors: number;
  /** MLP tower widths; `layers[0] / 2` is the MLP embedding size (see {@link MlpConfig.layers}). */
  readonly layers: readonly number[];
  readonly loss: NcfLoss;
  /** Standard deviation of the N(0, std²) embedding initialisation. */
  readonly initStd: number;
  /** Dropout rate after each hidden layer of the MLP branch (the paper uses none). */
  readonly dropout: number;
  /**
   * Dense-layer initialisation: `paper` (the NCF paper's Keras code: Glorot/LeCun-uniform, zero biases) or
   * `pytorch` (nn.Linear's default, U(±1/sqrt(fanIn)) kernels and biases, as the PyTorch peer). Default `pytorch`: with the paper's init our NeuMF peaked around epoch 13 and ended 0.02–0.03 HR@10 below the peer on ML-100K (README, "Quality").
   */
  readonly denseInit: DenseInit;
}

/** Defaults of {@link neumfFactory}: the NCF paper's 8 GMF factors and 64-32-16-8 tower, no dropout. */
export const NEUMF_DEFAULTS: NeuMfConfig = {
  factors: 8,
  layers: [64, 32, 16, 8],
  loss: 'bce',
  initStd: 0.01,
  dropout: 0,
  denseInit: 'pytorch',
};

/** Registry kind of {@link neumfFactory}. */
export const NEUMF_KIND = 'ncf/neumf';

/**
 * Neural Matrix Factorization (He et al., "Neural Collaborative Filtering", WWW 2017, §3.4): a GMF branch
 * `p^G_u ⊙ q^G_i` and an MLP branch over `concat(p^M_u, q^M_i)` with **separate** embeddings, concatenated
 * and mapped to one score by a linear layer. Variable names match {@link GmfModel} (`gmf/…`) and
 * {@link MlpModel} (`mlp/…`) so {@link neumfFromPretrained} can copy them.
 */
export class NeuMfModel extends NcfModel<NeuMfConfig> {
  readonly gmfUser: ModelVariable;
  readonly gmfItem: ModelVariable;
  readonly mlpUser: ModelVariable;
  readonly mlpItem: ModelVariable;
  readonly tower: readonly DenseLayer[];
  readonly output: DenseLayer;

  constructor(info: DatasetInfo, config: NeuMfConfig, seed: number) {
    const rng = createRng(seed);
    const dim = config.layers[0]! / 2;
    const pg = createEmbedding('gmf/user', info.numUsers, config.factors, rng, { std: config.initStd });
    const qg = createEmbedding('gmf/item', info.numItems, config.factors, rng, { std: config.initStd });
    const pm = createEmbedding('mlp/user', info.numUsers, dim, rng, { std: config.initStd });
    const qm = createEmbedding('mlp/item', info.numItems, dim, rng, { std: config.initStd });
    const tower = createTower('mlp', config.layers, rng, hiddenInit(config.denseInit));
    const out = createDense('out', config.factors + config.layers[config.layers.length - 1]!, 1, rng, {
      init: outputInit(config.denseInit),
      activation: 'linear',
    });
    super(NEUMF_KIND, info, config, [pg, qg, pm, qm, ...denseVariables(tower), ...denseVariables([out])]);
    this.gmfUser = pg;
    this.gmfItem = qg;
    this.mlpUser = pm;
    this.mlpItem = qm;
    this.tower = tower;
    this.output = out;
  }

  protected forward(users: Int32Array, items: Int32Array, pass: ForwardPass): Tensor1D {
    const g = tf.mul(pass.read(this.gmfUser, users), pass.read(this.gmfItem, items)) as Tensor2D;
    const x = tf.concat([pass.read(this.mlpUser, users), pass.read(this.mlpItem, items)], 1);
    const h = towerForward(this.tower, x, this.config.dropout, pass.rng);
    return tf.reshape(applyDense(this.output, tf.concat([g, h], 1)), [users.length]);
  }

  protected override scoreAllChunk(users: Int32Array): Tensor2D {
    const f = this.config.factors;
    const idx = tf.tensor1d(users, 'int32');
    const w = this.output.kernel.variable as unknown as Tensor2D; // [f + last, 1]
    const last = w.shape[0] - f;
    // GMF branch: Σ_k p_uk q_ik w_k = ((P_U ⊙ w_Gᵀ) Qᵀ)_ui, one product for all items.
    const pg = tf.gather(this.gmfUser.variable, idx) as Tensor2D;
    const wg = tf.reshape(tf.slice(w, [0, 0], [f, 1]), [1, f]);
    const gmf = tf.matMul(
      tf.mul(pg, wg) as Tensor2D,
      this.gmfItem.variable as unknown as Tensor2D,
      false,
      true,
    );
    // MLP branch: batched tower over all pairs.
    const pm = tf.gather(this.mlpUser.variable, idx) as Tensor2D;
    const h = towerAllPairs(this.tower, pm, this.mlpItem.variable as unknown as Tensor2D);
    const mlp = tf.reshape(tf.matMul(h, tf.slice(w, [f, 0], [last, 1])), [users.length, this.info.numItems]);
    return tf.add(tf.add(gmf, mlp), this.output.bias.variable);
  }
}

/** Fills defaults and validates a NeuMF config (ConfigError on bad values). */
export function resolveNeuMfConfig(config: Partial<NeuMfConfig> = {}): Readonly<NeuMfConfig> {
  return resolveConfig(NEUMF_KIND, NEUMF_DEFAULTS, config, (c) => {
    requireInt(c.factors, 'factors', { min: 1 });
    const layers = requireTower(c.layers, 'layers');
    requireChoice(c.loss, 'loss', NCF_LOSSES);
    requireChoice(c.denseInit, 'denseInit', DENSE_INITS);
    requireNumber(c.initStd, 'initStd', { min: 0, max: 10 });
    requireNumber(c.dropout, 'dropout', { min: 0, max: 1, maxExclusive: true });
    return { ...c, layers };
  });
}

/** Factory of {@link NeuMfModel} (`ncf/neumf`). */
export const neumfFactory: ModelFactory<NeuMfConfig> = {
  kind: NEUMF_KIND,
  description: 'Neural Matrix Factorization, GMF ⊕ MLP (He et al., Neural Collaborative Filtering, WWW 2017)',
  defaults: NEUMF_DEFAULTS,
  trainingDefaults: NCF_TRAINING_DEFAULTS,
  dataSpec(config?: Partial<NeuMfConfig>): DataSpec {
    return ncfDataSpec(resolveNeuMfConfig(config).loss);
  },
  create(
    info: DatasetInfo,
    config?: Partial<NeuMfConfig>,
    options: CreateOptions = {},
  ): Recommender<NeuMfConfig> {
    requireBackend();
    checkInfo(info, NEUMF_KIND);
    return new NeuMfModel(info, resolveNeuMfConfig(config), options.seed ?? 0);
  },
};

/** Options of {@link neumfFromPretrained}. */
export interface NeuMfPretrainOptions {
  /** Weight α of the GMF branch in the output layer (the MLP branch gets 1 − α). Default 0.5 (the paper). */
  readonly alpha?: number;
  /** Config fields other than the ones fixed by the pretrained models (`loss`, `dropout`, `initStd`). */
  readonly config?: Partial<Pick<NeuMfConfig, 'loss' | 'dropout' | 'initStd'>>;
}

function copyInto(target: ModelVariable, source: ModelVariable, scale = 1): void {
  if (target.variable.shape.join(',') !== source.variable.shape.join(',')) {
    throw new ConfigError(
      `pretrained '${source.name}' has shape [${source.variable.shape.join(',')}], NeuMF's '${target.name}' needs [${target.variable.shape.join(',')}]`,
      source.name,
    );
  }
  tf.tidy(() => target.variable.assign(scale === 1 ? source.variable : tf.mul(source.variable, scale)));
}

/**
 * NeuMF initialised from a trained GMF and a trained MLP (He et al., WWW 2017, §3.4.1 "Pre-training"):
 * embeddings and tower copied, and the output layer `h ← [α h^GMF ; (1 − α) h^MLP]`, bias
 * `α b^GMF + (1 − α) b^MLP`. The paper (and its code) use α = 0.5 and then train NeuMF with plain SGD.
 * The pretrained models are left untouched (their weights are copied).
 */
export function neumfFromPretrained(
  gmf: Recommender,
  mlp: Recommender,
  options: NeuMfPretrainOptions = {},
): NeuMfModel {
  requireBackend();
  const alpha = requireNumber(options.alpha ?? 0.5, 'alpha', { min: 0, max: 1 });
  if (!(gmf instanceof GmfModel) || !(mlp instanceof MlpModel)) {
    throw new ConfigError(
      `neumfFromPretrained needs an ncf/gmf and an ncf/mlp model, got ${gmf.kind} and ${mlp.kind}`,
    );
  }
  const g = gmf;
  const m = mlp;
  if (g.info.numUsers !== m.info.numUsers || g.info.numItems !== m.info.numItems) {
    throw new ConfigError(
      `pretrained models were trained on different datasets: GMF ${g.info.numUsers}×${g.info.numItems}, MLP ${m.info.numUsers}×${m.info.numItems}`,
    );
  }
  const config = resolveNeuMfConfig({
    loss: g.config.loss,
    initStd: g.config.initStd,
    dropout: m.config.dropout,
    ...options.config,
    factors: g.config.factors,
    layers: m.config.layers,
  });
  const model = new NeuMfModel(g.info, config, 0);
  copyInto(model.gmfUser, g.userEmbedding);
  copyInto(model.gmfItem, g.itemEmbedding);
  copyInto(model.mlpUser, m.userEmbedding);
  copyInto(model.mlpItem, m.itemEmbedding);
  model.tower.forEach((layer, l) => {
    copyInto(layer.kernel, m.tower[l]!.kernel);
    copyInto(layer.bias, m.tower[l]!.bias);
  });
  tf.tidy(() => {
    model.output.kernel.variable.assign(
      tf.concat([tf.mul(g.output.kernel.variable, alpha), tf.mul(m.output.kernel.variable, 1 - alpha)], 0),
    );
    model.output.bias.variable.assign(
      tf.add(tf.mul(g.output.bias.variable, alpha), tf.mul(m.output.bias.variable, 1 - alpha)),
    );
  });
  return model;
}
