import {
  ConfigError,
  checkDataSpec,
  applyDense,
  createModelVariable,
  createRng,
  denseVariables,
  requireChoice,
  requireInt,
  requireNumber,
  resolveConfig,
  uniformValues,
  pairAttentionLogits,
  requireBackend,
  rowDot,
  segmentIdsOf,
  segmentSoftmax,
  tf,
} from '@ncf/core';
import type {
  CreateOptions,
  DataSpec,
  DatasetInfo,
  DenseLayer,
  ModelFactory,
  ModelVariable,
  Recommender,
  Tensor1D,
  Tensor2D,
} from '@ncf/core';
import { checkInfo, inferencePass } from './ncf-model.js';
import type { ForwardPass } from './ncf-model.js';
import {
  HISTORY_NCF_DEFAULTS,
  validateHistoryNcfConfig,
  historyNcfDataSpec,
} from './history/history-config.js';
import type { HistoryNcfConfig } from './history/history-config.js';
import { HistoryNcfModel } from './history/history-ncf.js';
import type { UserHistoryInput } from './history/history-ncf.js';
import { knownHistories, prepareSegments, repeatSegment, uniqueRows } from './history/segments.js';
import type { HistorySegments } from './history/segments.js';
import { explainFromWeights } from './explain.js';
import type { Explanation, ExplainOptions } from './explain.js';

/** How the attention network scores a (candidate, history item) pair. */
export type AttentionScorer = 'mlp' | 'cosine';

/** Config of {@link attentionNcfFactory}: the shared history fields plus the attention network. */
export interface AttentionNcfConfig extends HistoryNcfConfig {
  /** `mlp`: NAIS's `wᵀ relu(W [e_c; e_j] + b)`; `cosine`: `cosineScale · cos(e_c, e_j)` (no parameters). */
  readonly attention: AttentionScorer;
  /** Hidden width of the attention MLP. */
  readonly attentionDim: number;
  /** NAIS's smoothing exponent β of the softmax denominator (TKDE 2018, eq. 6); 1 is the plain softmax. */
  readonly beta: number;
  /** Dropout on the attention MLP's hidden units in training. */
  readonly attentionDropout: number;
  /** Multiplier of the cosine scorer (a softmax temperature of 1/scale). */
  readonly cosineScale: number;
}

/** Defaults of {@link attentionNcfFactory}: the shared defaults, an MLP scorer of width 64, β = 1, no attention dropout. */
export const ATTENTION_NCF_DEFAULTS: AttentionNcfConfig = Object.freeze({
  ...HISTORY_NCF_DEFAULTS,
  attention: 'mlp',
  attentionDim: 64,
  beta: 1,
  attentionDropout: 0,
  cosineScale: 5,
});

/** Registry kind of {@link attentionNcfFactory}. */
export const ATTENTION_NCF_KIND = 'ncf/attention';

/** Attention weights of one history over candidate items, for a heatmap. */
export interface AttentionMatrix {
  /** Candidate items (dense indices), one row each. */
  readonly items: Int32Array;
  /** The history items attended over (after the history cap), one column each. */
  readonly history: Int32Array;
  /** `items.length × history.length`, row-major: the softmax weight of each history item per candidate. */
  readonly weights: Float32Array;
}

/**
 * Attention NCF, after NAIS (He et al., "NAIS: Neural Attentive Item Similarity Model for Recommendation",
 * IEEE TKDE 2018) in the seed project's form: for candidate `c` and each item `j` the user rated, an attention
 * network scores `[e_c; e_j]`; a softmax over the user's rated items only (β-smoothed) gives `a_cj`; the
 * profile `Σ_j a_cj (r_uj − r̄_u) x_j` goes through the user projection and, with `e_c`, through the NCF
 * tower (He et al., WWW 2017). In training the candidate is masked out of its own history (otherwise the
 * attention collapses onto it). Ragged histories run through core's segment kernels (no padding; cost per
 * step ∝ the batch's total history length). {@link explain} returns the rated items behind each score.
 */
export class AttentionNcfModel extends HistoryNcfModel<AttentionNcfConfig> {
  readonly attentionCandidate: DenseLayer | undefined;
  readonly attentionHistory: ModelVariable | undefined;
  readonly attentionOut: ModelVariable | undefined;

  constructor(info: DatasetInfo, config: AttentionNcfConfig, seed: number) {
    const rng = createRng(seed);
    super(ATTENTION_NCF_KIND, info, config, rng);
    const extra: ModelVariable[] = [];
    if (config.attention === 'mlp') {
      const d = config.dim;
      const h = config.attentionDim;
      // PyTorch Linear(2d, h) init, split into its candidate and history halves.
      const bound = 1 / Math.sqrt(2 * d);
      this.attentionCandidate = {
        kernel: createModelVariable(
          `${this.kind}/attention/candidate/kernel`,
          uniformValues(d * h, bound, rng),
          [d, h],
          {
            sparse: false,
            regularize: false,
            trainable: true,
          },
        ),
        bias: createModelVariable(`${this.kind}/attention/bias`, uniformValues(h, bound, rng), [h], {
          sparse: false,
          regularize: false,
          trainable: true,
        }),
        activation: 'linear',
      };
      const flags = { sparse: false, regularize: false, trainable: true };
      this.attentionHistory = createModelVariable(
        `${this.kind}/attention/history/kernel`,
        uniformValues(d * h, bound, rng),
        [d, h],
        flags,
      );
      this.attentionOut = createModelVariable(
        `${this.kind}/attention/out`,
        uniformValues(h, 1 / Math.sqrt(h), rng),
        [h],
        flags,
      );
      extra.push(...denseVariables([this.attentionCandidate]), this.attentionHistory, this.attentionOut);
    }
    this.collectVariables(extra);
  }

  /** Softmax attention `a` per history entry (`[P]`). */
  #attention(c: Tensor2D, e: Tensor2D, rows: Int32Array, seg: HistorySegments, pass: ForwardPass): Tensor1D {
    let logits: Tensor1D;
    if (this.config.attention === 'mlp') {
      const a = applyDense(this.attentionCandidate!, c);
      const h = tf.matMul(e, this.attentionHistory!.variable as unknown as Tensor2D) as Tensor2D;
      const rate = pass.training ? this.config.attentionDropout : 0;
      const dropout = rate > 0 && pass.rng ? { rate, seed: pass.rng.nextUint32() | 0 } : undefined;
      logits = pairAttentionLogits(
        a,
        h,
        this.attentionOut!.variable as unknown as Tensor1D,
        rows,
        seg.offsets,
        dropout,
      );
    } else {
      // x / sqrt(|x|² + ε): smooth at 0 (tf.maximum's gradient casts a bool mask, slow on the JS backends).
      const norm = (x: Tensor2D): Tensor2D =>
        tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12))) as Tensor2D;
      const cn = tf.gather(norm(c), tf.tensor1d(segmentIdsOf(seg.offsets), 'int32')) as Tensor2D;
      const en = tf.gather(norm(e), tf.tensor1d(rows, 'int32')) as Tensor2D;
      logits = tf.mul(rowDot(cn, en), this.config.cosineScale) as Tensor1D;
    }
    return segmentSoftmax(logits, seg.offsets, this.config.beta);
  }

  protected historyWeights(
    c: Tensor2D,
    e: Tensor2D,
    rows: Int32Array,
    seg: HistorySegments,
    pass: ForwardPass,
  ): Tensor1D {
    return tf.mul(this.#attention(c, e, rows, seg, pass), tf.tensor1d(seg.values)) as Tensor1D;
  }

  /**
   * The attention weights of a history (a new user's `{items, values}` or a known user's dense index) over
   * `items` (default every item): a matrix for a heatmap. Inference mode: no masking, no dropout.
   */
  attentionWeights(user: number | UserHistoryInput, items?: Int32Array): AttentionMatrix {
    this.checkAlive();
    const { hist, centred } = this.#historyOf(user);
    const cand = items ?? Int32Array.from({ length: this.info.numItems }, (_, i) => i);
    const capped = prepareSegments(repeatSegment(hist, centred, 1), Int32Array.of(-1), {
      maskCandidate: false,
      cap: this.config.historyCap,
      dropRate: 0,
      rng: undefined,
    });
    const n = capped.items.length;
    const weights = new Float32Array(cand.length * n);
    const perChunk = Math.max(1, Math.floor((1 << 18) / Math.max(1, n)));
    for (let start = 0; start < cand.length; start += perChunk) {
      const cs = cand.subarray(start, Math.min(cand.length, start + perChunk));
      const seg = repeatSegment(capped.items, capped.values, cs.length);
      const t = tf.tidy(() => {
        const { ids, rowsA, rowsB } = uniqueRows(cs, seg.items, this.info.numItems);
        const e = this.itemRepresentations(ids, inferencePass);
        const c = tf.gather(e, tf.tensor1d(rowsA, 'int32')) as Tensor2D;
        return this.#attention(c, e, rowsB, seg, inferencePass);
      });
      weights.set(t.dataSync() as Float32Array, start * n);
      t.dispose();
    }
    return { items: cand, history: capped.items, weights };
  }

  /**
   * "Because you rated X": for each of `items`, its score and the history items whose attention share
   * passes the threshold of {@link explainFromWeights} (default: 1.5 × the uniform share), best first.
   */
  explain(user: number | UserHistoryInput, items: Int32Array, options: ExplainOptions = {}): Explanation[] {
    const m = this.attentionWeights(user, items);
    const scores =
      typeof user === 'number'
        ? this.score(new Int32Array(items.length).fill(user), items)
        : this.scoreHistory(user, items);
    const n = m.history.length;
    return Array.from(items, (item, r) => ({
      item,
      score: scores[r]!,
      reasons: explainFromWeights(m.history, m.weights.subarray(r * n, (r + 1) * n), options),
    }));
  }

  #historyOf(user: number | UserHistoryInput): { hist: Int32Array; centred: Float32Array } {
    if (typeof user !== 'number') return { hist: user.items, centred: this.checkedHistory(user) };
    const h = knownHistories(this.info, this.kind);
    if (!(Number.isInteger(user) && user >= 0 && user < this.info.numUsers)) {
      throw new ConfigError(`user ${user} is not a dense user index in [0, ${this.info.numUsers})`, 'user');
    }
    const a = h.offsets[user]!;
    const e = h.offsets[user + 1]!;
    const hist = h.indices.subarray(a, e);
    const raw = h.values ? h.values.subarray(a, e) : new Float32Array(e - a).fill(1);
    return { hist, centred: this.checkedHistory({ items: hist, values: raw }) };
  }
}

/** Fills defaults and validates an Attention NCF config (ConfigError on bad values). */
export function resolveAttentionNcfConfig(config: Partial<AttentionNcfConfig> = {}): AttentionNcfConfig {
  return resolveConfig(ATTENTION_NCF_KIND, ATTENTION_NCF_DEFAULTS, config, (c) => {
    const out = validateHistoryNcfConfig(c);
    requireChoice(c.attention, 'attention', ['mlp', 'cosine'] as const);
    requireInt(c.attentionDim, 'attentionDim', { min: 1 });
    requireNumber(c.beta, 'beta', { min: 0, max: 1 });
    requireNumber(c.attentionDropout, 'attentionDropout', { min: 0, max: 1, maxExclusive: true });
    requireNumber(c.cosineScale, 'cosineScale', { min: 0 });
    return out;
  });
}

/** The data Attention NCF needs for a config (see {@link historyNcfDataSpec}). */
export function attentionNcfDataSpec(config: Partial<AttentionNcfConfig> = {}): DataSpec {
  return historyNcfDataSpec(resolveAttentionNcfConfig(config));
}

/** Factory of {@link AttentionNcfModel} (`ncf/attention`). */
export const attentionNcfFactory: ModelFactory<AttentionNcfConfig> = {
  kind: ATTENTION_NCF_KIND,
  description:
    'Attention NCF: NAIS-style attention over the rated items, centred-rating profiles, MLP (He et al., TKDE 2018; WWW 2017); explanations, new users by history',
  defaults: ATTENTION_NCF_DEFAULTS,
  dataSpec(config?: Partial<AttentionNcfConfig>): DataSpec {
    return attentionNcfDataSpec(config);
  },
  create(
    info: DatasetInfo,
    config?: Partial<AttentionNcfConfig>,
    options: CreateOptions = {},
  ): Recommender<AttentionNcfConfig> {
    requireBackend();
    checkInfo(info, ATTENTION_NCF_KIND);
    const resolved = resolveAttentionNcfConfig(config);
    checkDataSpec(historyNcfDataSpec(resolved), info);
    return new AttentionNcfModel(info, resolved, options.seed ?? 0);
  },
};
