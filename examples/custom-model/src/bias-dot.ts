import {
  ConfigError,
  DataError,
  checkDataSpec,
  defineDataSpec,
  lookupRows,
  requireBackend,
  saveModel,
  tf,
  createRng,
  type Batch,
  type CreateOptions,
  type DataSpec,
  type DatasetInfo,
  type LossContext,
  type ModelFactory,
  type ModelVariable,
  type Recommender,
  type SaveOptions,
  type Scalar,
  type Tensor1D,
  type Tensor2D,
} from '@ncf/core';

/**
 * A small recommender written the way a third party would write one, against @ncf/core's public API only:
 * `score(u, i) = b_u + b_i + p_u · q_i (+ w · pop_i)`, biased matrix factorisation (Koren, Bell & Volinsky,
 * "Matrix Factorization Techniques for Recommender Systems", 2009) with an optional item-popularity prior
 * read from a custom dataset input. Its data needs follow from its config ({@link biasDotDataSpec}), so the
 * CLI, `fit()` and the conformance kit feed it without knowing anything about it.
 */

/** Registry kind of the example model. */
export const BIAS_DOT_KIND = 'example/bias-dot';

/** Name of the custom dataset input the popularity prior reads: a `numItems × 1` dense matrix. */
export const ITEM_POPULARITY_INPUT = 'itemPopularity';

/** Config of {@link biasDotFactory}. */
export interface BiasDotConfig {
  /** Embedding size. */
  readonly factors: number;
  /** `bce`: pointwise, implicit labels; `bpr`: pairwise (Rendle et al., 2009). */
  readonly loss: 'bce' | 'bpr';
  /** Add `w · pop_i` with `pop` from the custom input {@link ITEM_POPULARITY_INPUT}. */
  readonly popularityPrior: boolean;
  /** Standard deviation of the normal initialiser of the embeddings. */
  readonly initStd: number;
}

/** Defaults of {@link BiasDotConfig}. */
export const BIAS_DOT_DEFAULTS: Readonly<BiasDotConfig> = Object.freeze({
  factors: 8,
  loss: 'bce',
  popularityPrior: false,
  initStd: 0.1,
});

/** Fills defaults and validates a config (ConfigError naming the field). */
export function resolveBiasDotConfig(config: Partial<BiasDotConfig> = {}): BiasDotConfig {
  for (const key of Object.keys(config)) {
    if (!(key in BIAS_DOT_DEFAULTS))
      throw new ConfigError(`unknown ${BIAS_DOT_KIND} config field '${key}'`, key);
  }
  const c = { ...BIAS_DOT_DEFAULTS, ...config };
  if (!Number.isInteger(c.factors) || c.factors < 1) {
    throw new ConfigError(`factors must be a positive integer, got ${c.factors}`, 'factors');
  }
  if (c.loss !== 'bce' && c.loss !== 'bpr') {
    throw new ConfigError(`loss must be 'bce' or 'bpr', got ${JSON.stringify(c.loss)}`, 'loss');
  }
  if (typeof c.popularityPrior !== 'boolean') {
    throw new ConfigError('popularityPrior must be a boolean', 'popularityPrior');
  }
  if (!(c.initStd > 0)) throw new ConfigError(`initStd must be > 0, got ${c.initStd}`, 'initStd');
  return c;
}

/** The data a config needs: its loss decides the batches, the prior adds the custom input. */
export function biasDotDataSpec(config: BiasDotConfig): DataSpec {
  const inputs = config.popularityPrior ? [ITEM_POPULARITY_INPUT] : [];
  return config.loss === 'bpr'
    ? defineDataSpec({ batch: 'pairwise', inputs })
    : defineDataSpec({ batch: 'pointwise', labels: 'implicit', inputs });
}

function variable(
  name: string,
  values: Float32Array,
  shape: [number, number],
  sparse: boolean,
): ModelVariable {
  const v = tf.tidy(() => tf.variable(tf.tensor2d(values, shape), true));
  return { name, variable: v, sparse, regularize: sparse, trainable: true };
}

class BiasDotModel implements Recommender<BiasDotConfig> {
  readonly kind = BIAS_DOT_KIND;
  readonly config: BiasDotConfig;
  readonly info: DatasetInfo;
  readonly dataSpec: DataSpec;
  readonly #vars: ModelVariable[];
  readonly #pop: Float32Array | undefined;

  constructor(info: DatasetInfo, config: BiasDotConfig, seed: number) {
    this.info = info;
    this.config = config;
    this.dataSpec = biasDotDataSpec(config);
    const rng = createRng(seed);
    const normal = (n: number): Float32Array =>
      Float32Array.from({ length: n }, () => rng.normal() * config.initStd);
    const { numUsers: U, numItems: I } = info;
    const f = config.factors;
    this.#vars = [
      variable('user_bias', new Float32Array(U), [U, 1], true),
      variable('item_bias', new Float32Array(I), [I, 1], true),
      variable('user_factors', normal(U * f), [U, f], true),
      variable('item_factors', normal(I * f), [I, f], true),
    ];
    if (config.popularityPrior) {
      const input = info.inputs?.[ITEM_POPULARITY_INPUT];
      if (!input || input.type !== 'dense' || input.rows !== I || input.dim !== 1) {
        throw new DataError(
          `${BIAS_DOT_KIND}: input '${ITEM_POPULARITY_INPUT}' must be a dense ${I} × 1 matrix`,
        );
      }
      this.#pop = input.values;
      this.#vars.push(variable('popularity_weight', new Float32Array(1), [1, 1], false));
    }
  }

  /** Scores of aligned pairs from rows read by `read` (ctx.lookup in training, a plain gather otherwise). */
  #pairs(
    users: Int32Array,
    items: Int32Array,
    read: (t: ModelVariable, ids: Int32Array) => Tensor2D,
  ): Tensor1D {
    const [bu, bi, p, q, w] = this.#vars;
    let s = tf.add(
      tf.add(tf.reshape(read(bu!, users), [-1]), tf.reshape(read(bi!, items), [-1])),
      tf.sum(tf.mul(read(p!, users), read(q!, items)), 1),
    ) as Tensor1D;
    if (w && this.#pop) {
      const pop = tf.tensor1d(Float32Array.from(items, (i) => this.#pop![i]!));
      s = tf.add(s, tf.mul(pop, tf.reshape(w.variable, [])));
    }
    return s;
  }

  loss(batch: Batch, ctx: LossContext): Scalar {
    const read = (t: ModelVariable, ids: Int32Array): Tensor2D => ctx.lookup(t, ids);
    if (batch.kind === 'pointwise' && this.config.loss === 'bce') {
      const s = this.#pairs(batch.users, batch.items, read);
      const y = tf.tensor1d(batch.labels);
      return tf.mean(tf.sub(tf.softplus(s), tf.mul(y, s))) as Scalar;
    }
    if (batch.kind === 'pairwise' && this.config.loss === 'bpr') {
      const pos = this.#pairs(batch.users, batch.positives, read);
      const neg = this.#pairs(batch.users, batch.negatives, read);
      return tf.mean(tf.softplus(tf.sub(neg, pos))) as Scalar;
    }
    throw new DataError(
      `${BIAS_DOT_KIND} with loss '${this.config.loss}' cannot train on a '${batch.kind}' batch`,
    );
  }

  score(users: Int32Array, items: Int32Array): Float32Array {
    if (users.length !== items.length) {
      throw new ConfigError(`score: ${users.length} users but ${items.length} items; they must be aligned`);
    }
    if (users.length === 0) return new Float32Array(0);
    const out = tf.tidy(() => this.#pairs(users, items, lookupRows));
    const values = Float32Array.from(out.dataSync() as Float32Array);
    out.dispose();
    return values;
  }

  variables(): readonly ModelVariable[] {
    return this.#vars;
  }

  save(dir: string, options?: SaveOptions): Promise<void> {
    return saveModel(this, dir, options);
  }

  dispose(): void {
    for (const v of this.#vars) v.variable.dispose();
  }
}

/** Factory of the example model (kind `example/bias-dot`); register it in any `ModelRegistry`. */
export const biasDotFactory: ModelFactory<BiasDotConfig> = {
  kind: BIAS_DOT_KIND,
  description:
    'Example third-party model: biased dot product with an optional popularity prior (Koren et al. 2009)',
  defaults: BIAS_DOT_DEFAULTS,
  dataSpec(config?: Partial<BiasDotConfig>): DataSpec {
    return biasDotDataSpec(resolveBiasDotConfig(config));
  },
  create(
    info: DatasetInfo,
    config?: Partial<BiasDotConfig>,
    options: CreateOptions = {},
  ): Recommender<BiasDotConfig> {
    requireBackend();
    const resolved = resolveBiasDotConfig(config);
    checkDataSpec(biasDotDataSpec(resolved), info);
    return new BiasDotModel(info, resolved, options.seed ?? 0);
  },
};
