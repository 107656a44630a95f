import {
  ConfigError,
  defineDataSpec,
  requireBoolean,
  requireChoice,
  requireInt,
  requireNumber,
} from '@ncf/core';
import type { DataInputName, DataSpec } from '@ncf/core';
import { NCF_LOSSES } from '../layers/losses.js';
import type { NcfLoss } from '../layers/losses.js';
import { requireTower } from '../ncf-model.js';

/** Where an item's representation comes from: its feature vector, its id, or both (summed). */
export type HistoryItemInput = 'features' | 'id' | 'both';

/** Config fields shared by Content NCF and Attention NCF. */
export interface HistoryNcfConfig {
  /**
   * Item representation `e_i`: `features` (a learned projection of `info.itemFeatures`; new items are scored
   * from their features), `id` (an embedding; runs without features, as NAIS), or `both` (their sum). The
   * user side follows: features → `(Σ w x) W_user`, ids → `Σ w y` with a history embedding `y`.
   */
  readonly itemInput: HistoryItemInput;
  /** Add a user id embedding to the user side (hybrid). New users, scored by history, get none. */
  readonly userId: boolean;
  /** Size of the item and user representations. */
  readonly dim: number;
  /** Tower widths: `layers[0] = 2 × dim` (`[e_c; u]`), then the hidden layers; a linear output follows. */
  readonly layers: readonly number[];
  /** Dropout after each hidden layer of the tower. */
  readonly dropout: number;
  readonly loss: NcfLoss;
  /** Standard deviation of the N(0, std²) id-embedding initialisation. */
  readonly initStd: number;
  /**
   * Pseudo-count `k` pulling a user's mean toward the scale midpoint in the centred ratings
   * `r_uj − (Σ r + k·mid)/(n_u + k)` (`@ncf/datasets` centring, whose default is also 5). Must equal the
   * batch source's centring.
   */
  readonly shrinkage: number;
  /** Keep only the last N entries of a history (the order given: oldest first); 0 keeps all. */
  readonly historyCap: number;
  /** Message dropout: in training, each history entry is dropped with this probability. */
  readonly messageDropout: number;
}

/** Defaults of the shared fields: features only, 64-d, tower 128-64-32, dropout 0.2, MSE, shrinkage 5. */
export const HISTORY_NCF_DEFAULTS: HistoryNcfConfig = {
  itemInput: 'features',
  userId: false,
  dim: 64,
  layers: [128, 64, 32],
  dropout: 0.2,
  loss: 'mse',
  initStd: 0.01,
  shrinkage: 5,
  historyCap: 0,
  messageDropout: 0,
};

/** Validates the shared fields of a complete config (for core's `resolveConfig`); returns it with `layers` copied. */
export function validateHistoryNcfConfig<C extends HistoryNcfConfig>(c: C): C {
  requireChoice(c.itemInput, 'itemInput', ['features', 'id', 'both'] as const);
  requireBoolean(c.userId, 'userId');
  requireInt(c.dim, 'dim', { min: 1 });
  const layers = requireTower(c.layers, 'layers');
  if (layers[0] !== 2 * c.dim) {
    throw new ConfigError(
      `layers[0] must be 2 × dim = ${2 * c.dim} (the concatenated [item; user] width), got ${layers[0]}`,
      'layers',
    );
  }
  requireNumber(c.dropout, 'dropout', { min: 0, max: 1, maxExclusive: true });
  requireChoice(c.loss, 'loss', NCF_LOSSES);
  requireNumber(c.initStd, 'initStd', { min: 0, max: 10 });
  requireNumber(c.shrinkage, 'shrinkage', { min: 0 });
  requireInt(c.historyCap, 'historyCap', { min: 0 });
  requireNumber(c.messageDropout, 'messageDropout', { min: 0, max: 1, maxExclusive: true });
  return { ...c, layers };
}

/**
 * The data a history model needs for a config: `mse`/`bce` consume user-history batches (rating or implicit
 * labels), `bpr` pairwise batches (the model reads the histories from `info.userHistories`); every variant
 * needs the training histories to score known users, and item features unless `itemInput` is `id`.
 */
export function historyNcfDataSpec(c: HistoryNcfConfig): DataSpec {
  const inputs: DataInputName[] =
    c.itemInput === 'id' ? ['userHistories'] : ['userHistories', 'itemFeatures'];
  if (c.loss === 'bpr') return defineDataSpec({ batch: 'pairwise', inputs });
  return defineDataSpec({ batch: 'user-history', labels: c.loss === 'mse' ? 'rating' : 'implicit', inputs });
}
