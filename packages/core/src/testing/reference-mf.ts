import type { Scalar, Tensor2D } from '@tensorflow/tfjs-core';
import type { Batch } from '../batch.js';
import { checkDataSpec, defineDataSpec, type DataSpec } from '../data-spec.js';
import type { DatasetInfo } from '../dataset-info.js';
import { ConfigError } from '../errors.js';
import { lookupRows } from '../lookup.js';
import type {
  CreateOptions,
  LossContext,
  ModelFactory,
  ModelVariable,
  Recommender,
  SaveOptions,
} from '../model.js';
import { saveModel } from '../model-files/save-model.js';
import { createRng } from '../rng.js';
import { tf } from '../tf.js';
import { requireBackend } from '../backend.js';

/** Config of the reference MF. */
export interface ReferenceMfConfig {
  /** Embedding size. */
  readonly factors: number;
  /** Standard deviation of the normal initialiser. */
  readonly initStd: number;
}

/** Defaults of {@link ReferenceMfConfig}. */
export const REFERENCE_MF_DEFAULTS: ReferenceMfConfig = { factors: 8, initStd: 0.1 };

/** Registry kind of the reference MF. */
export const REFERENCE_MF_KIND = 'testing/reference-mf';

function checkConfig(c: ReferenceMfConfig): void {
  if (!Number.isInteger(c.factors) || c.factors < 1) {
    throw new ConfigError(`factors must be a positive integer, got ${c.factors}`, 'factors');
  }
  if (!(c.initStd > 0)) throw new ConfigError(`initStd must be > 0, got ${c.initStd}`, 'initStd');
}

function normalTable(rows: number, cols: number, std: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const values = new Float32Array(rows * cols);
  for (let k = 0; k < values.length; k++) values[k] = rng.normal() * std;
  return values;
}

/**
 * The reference model of the conformance suite: plain dot-product matrix factorisation on implicit feedback
 * (score = p_u · q_i, trained with binary cross-entropy on pointwise batches), with sparse embedding tables
 * read through `ctx.lookup`. Koren, Bell & Volinsky (2009), "Matrix Factorization Techniques for Recommender
 * Systems". A minimal, complete example of the model contract for third-party model authors.
 */
class ReferenceMf implements Recommender<ReferenceMfConfig> {
  readonly kind = REFERENCE_MF_KIND;
  readonly dataSpec = REFERENCE_MF_SPEC;
  readonly config: ReferenceMfConfig;
  readonly info: DatasetInfo;
  readonly #user: ModelVariable;
  readonly #item: ModelVariable;

  constructor(info: DatasetInfo, config: ReferenceMfConfig, seed: number) {
    requireBackend();
    this.info = info;
    this.config = config;
    const f = config.factors;
    const table = (name: string, rows: number, s: number): ModelVariable => {
      const init = tf.tensor2d(normalTable(rows, f, config.initStd, s), [rows, f]);
      const variable = tf.variable(init, true);
      init.dispose();
      return { name, variable, sparse: true, regularize: true, trainable: true };
    };
    this.#user = table('user_embedding', info.numUsers, seed);
    this.#item = table('item_embedding', info.numItems, seed + 1);
  }

  loss(batch: Batch, ctx: LossContext): Scalar {
    if (batch.kind !== 'pointwise')
      throw new ConfigError(`${this.kind} trains on pointwise batches, got ${batch.kind}`);
    const u = ctx.lookup(this.#user, batch.users);
    const i = ctx.lookup(this.#item, batch.items);
    const logits = tf.sum(tf.mul(u, i), 1);
    const labels = tf.tensor1d(batch.labels);
    // Binary cross-entropy with logits: softplus(x) − y·x.
    return tf.mean(tf.sub(tf.softplus(logits), tf.mul(labels, logits)));
  }

  score(users: Int32Array, items: Int32Array): Float32Array {
    if (users.length !== items.length) {
      throw new ConfigError(`score: ${users.length} users but ${items.length} items; they must be aligned`);
    }
    if (users.length === 0) return new Float32Array(0);
    const out = tf.tidy(() =>
      tf.sum(tf.mul(lookupRows(this.#user, users), lookupRows(this.#item, items)), 1),
    );
    const values = out.dataSync() as Float32Array;
    out.dispose();
    return Float32Array.from(values);
  }

  scoreAll(users: Int32Array): Float32Array {
    if (users.length === 0) return new Float32Array(0);
    const out = tf.tidy(() =>
      tf.matMul(lookupRows(this.#user, users), this.#item.variable as Tensor2D, false, true),
    );
    const values = out.dataSync() as Float32Array;
    out.dispose();
    return Float32Array.from(values);
  }

  variables(): readonly ModelVariable[] {
    return [this.#user, this.#item];
  }

  save(dir: string, options?: SaveOptions): Promise<void> {
    return saveModel(this, dir, options);
  }

  dispose(): void {
    this.#user.variable.dispose();
    this.#item.variable.dispose();
  }
}

/** The reference MF's data needs: pointwise batches with implicit labels, no inputs. */
export const REFERENCE_MF_SPEC: DataSpec = defineDataSpec({
  batch: 'pointwise',
  labels: 'implicit',
  inputs: [],
});

/** Factory of the reference MF (kind `testing/reference-mf`). */
export const referenceMfFactory: ModelFactory<ReferenceMfConfig> = {
  kind: REFERENCE_MF_KIND,
  description: 'Reference dot-product matrix factorisation for tests (Koren, Bell & Volinsky 2009)',
  defaults: REFERENCE_MF_DEFAULTS,
  dataSpec(config: Partial<ReferenceMfConfig> = {}): DataSpec {
    checkConfig({ ...REFERENCE_MF_DEFAULTS, ...config });
    return REFERENCE_MF_SPEC;
  },
  create(info: DatasetInfo, config: Partial<ReferenceMfConfig> = {}, options: CreateOptions = {}) {
    const full = { ...REFERENCE_MF_DEFAULTS, ...config };
    checkConfig(full);
    checkDataSpec(REFERENCE_MF_SPEC, info);
    return new ReferenceMf(info, full, options.seed ?? 0);
  },
};
