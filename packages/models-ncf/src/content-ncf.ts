import {
  applyDense,
  checkDataSpec,
  createRng,
  requireBackend,
  resolveConfig,
  segmentWeightedSum,
  tf,
} from '@ncf/core';
import type {
  CreateOptions,
  DataSpec,
  DatasetInfo,
  ModelFactory,
  Recommender,
  Tensor1D,
  Tensor2D,
} from '@ncf/core';
import { towerWithOutput } from './layers/tower.js';
import { checkInfo, inferencePass } from './ncf-model.js';
import type { ForwardPass } from './ncf-model.js';
import {
  HISTORY_NCF_DEFAULTS,
  validateHistoryNcfConfig,
  historyNcfDataSpec,
} from './history/history-config.js';
import type { HistoryNcfConfig } from './history/history-config.js';
import { HistoryNcfModel } from './history/history-ncf.js';
import type { HistorySegments } from './history/segments.js';

/** Config of {@link contentNcfFactory} (the shared history-model fields; see {@link HistoryNcfConfig}). */
export type ContentNcfConfig = HistoryNcfConfig;

/** Defaults of {@link contentNcfFactory}: {@link HISTORY_NCF_DEFAULTS}. */
export const CONTENT_NCF_DEFAULTS: ContentNcfConfig = Object.freeze({ ...HISTORY_NCF_DEFAULTS });

/** Registry kind of {@link contentNcfFactory}. */
export const CONTENT_NCF_KIND = 'ncf/content';

/**
 * Content NCF: Basic NCF (He et al., "Neural Collaborative Filtering", WWW 2017, §3.1) with content profiles,
 * as in the seed project. Item input: the item's feature vector `x_i` through a learned projection (plus an
 * id embedding with `itemInput: 'both'`). User input: the content profile
 * `v_u = (1/|N(u)|) Σ_{j ∈ N(u)} (r_uj − r̄_u) x_j` through its own projection, `r̄_u` the user's mean shrunk
 * toward the scale midpoint by `shrinkage` pseudo-ratings. Concatenation → ReLU tower → linear score. The
 * profile is a function of the history only, so new users (by their ratings) and new items (by their
 * features) are scored without retraining. In training, the target is masked out of its own profile.
 */
export class ContentNcfModel extends HistoryNcfModel<ContentNcfConfig> {
  constructor(info: DatasetInfo, config: ContentNcfConfig, seed: number) {
    super(CONTENT_NCF_KIND, info, config, createRng(seed));
    this.collectVariables([]);
  }

  /** The mean: each entry's centred value over its history's length. */
  protected historyWeights(
    _c: Tensor2D,
    _e: Tensor2D,
    _rows: Int32Array,
    seg: HistorySegments,
    _pass: ForwardPass,
  ): Tensor1D {
    const w = new Float32Array(seg.items.length);
    for (let b = 0; b + 1 < seg.offsets.length; b++) {
      const a = seg.offsets[b]!;
      const e = seg.offsets[b + 1]!;
      for (let j = a; j < e; j++) w[j] = seg.values[j]! / (e - a);
    }
    return tf.tensor1d(w);
  }

  /** One profile for all candidates (it does not depend on the candidate): one user vector, one tower pass. */
  protected override scoreOneHistory(
    user: number | undefined,
    hist: Int32Array,
    centred: Float32Array,
    candidates: Int32Array,
  ): Tensor1D {
    const capped = this.config.historyCap > 0 && hist.length > this.config.historyCap;
    const items = capped ? hist.subarray(hist.length - this.config.historyCap) : hist;
    const values = capped ? centred.subarray(centred.length - this.config.historyCap) : centred;
    const offsets = Int32Array.from([0, items.length]);
    const rows = Int32Array.from({ length: items.length }, (_, j) => j);
    const w = tf.tensor1d(values.map((v) => v / Math.max(1, items.length)));
    const parts: Tensor2D[] = [];
    if (this.userProjection) {
      const f = this.features!;
      const x = new Float32Array(items.length * f.dim);
      items.forEach((it, j) => x.set(f.values.subarray(it * f.dim, (it + 1) * f.dim), j * f.dim));
      const profile = segmentWeightedSum(w, tf.tensor2d(x, [items.length, f.dim]), rows, offsets);
      parts.push(applyDense(this.userProjection, profile));
    }
    if (this.historyTable) {
      const y = inferencePass.read(this.historyTable, items.length ? items : Int32Array.of(0));
      parts.push(segmentWeightedSum(w, y, rows, offsets));
    }
    if (this.userTable && user !== undefined)
      parts.push(inferencePass.read(this.userTable, Int32Array.of(user)));
    const u = parts.length === 1 ? parts[0]! : (tf.addN(parts) as Tensor2D);
    const c = this.itemRepresentations(candidates, inferencePass);
    const x = tf.concat([c, tf.tile(u, [candidates.length, 1])], 1);
    return tf.reshape(towerWithOutput(this.tower, this.output, x, 0, undefined), [
      candidates.length,
    ]) as Tensor1D;
  }
}

/** Fills defaults and validates a Content NCF config (ConfigError on bad values). */
export function resolveContentNcfConfig(config: Partial<ContentNcfConfig> = {}): ContentNcfConfig {
  return resolveConfig(CONTENT_NCF_KIND, CONTENT_NCF_DEFAULTS, config, validateHistoryNcfConfig);
}

/** The data Content NCF needs for a config (see {@link historyNcfDataSpec}). */
export function contentNcfDataSpec(config: Partial<ContentNcfConfig> = {}): DataSpec {
  return historyNcfDataSpec(resolveContentNcfConfig(config));
}

/** Factory of {@link ContentNcfModel} (`ncf/content`). */
export const contentNcfFactory: ModelFactory<ContentNcfConfig> = {
  kind: CONTENT_NCF_KIND,
  description:
    'Content NCF: item features and centred-rating content profiles through projections, MLP (He et al., WWW 2017, §3.1); new users by history, new items by features',
  defaults: CONTENT_NCF_DEFAULTS,
  dataSpec(config?: Partial<ContentNcfConfig>): DataSpec {
    return contentNcfDataSpec(config);
  },
  create(
    info: DatasetInfo,
    config?: Partial<ContentNcfConfig>,
    options: CreateOptions = {},
  ): Recommender<ContentNcfConfig> {
    requireBackend();
    checkInfo(info, CONTENT_NCF_KIND);
    const resolved = resolveContentNcfConfig(config);
    checkDataSpec(historyNcfDataSpec(resolved), info);
    return new ContentNcfModel(info, resolved, options.seed ?? 0);
  },
};
