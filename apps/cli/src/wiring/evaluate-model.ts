import { evaluate, popularityScorer, type EvalResult, type Scorer } from '@ncf/eval';
import { evalDataOf, type PreparedData } from './load-data.js';

/** Evaluation settings from the command line. */
export interface EvalSettings {
  readonly protocol: 'full' | 'sampled';
  readonly k: number;
  /** Negatives per test item for the sampled protocol when the data has no fixed negatives file. */
  readonly sampledNegatives: number;
  readonly seed: number;
}

/** Defaults of {@link EvalSettings}: full ranking, HR/NDCG at 10, the NCF paper's 99 sampled negatives. */
export const EVAL_SETTINGS_DEFAULTS: EvalSettings = {
  protocol: 'full',
  k: 10,
  sampledNegatives: 99,
  seed: 42,
};

/**
 * Evaluates `model` and, under the same protocol, \@ncf/eval's popularity baseline (item counts in the
 * training data) on the data's test set. Returns `[model, popularity]` results, each with its protocol line.
 */
export async function evaluateWithBaseline(
  model: Scorer,
  data: PreparedData,
  settings: EvalSettings,
  signal?: AbortSignal,
): Promise<[EvalResult, EvalResult]> {
  const evalData = evalDataOf(data);
  const options = {
    protocol: settings.protocol,
    k: settings.k,
    sampled: { negatives: settings.sampledNegatives, seed: settings.seed },
    ...(signal ? { signal } : {}),
  } as const;
  const ours = await evaluate(model, evalData, options);
  const popularity = await evaluate(
    popularityScorer(data.info.numItems, data.train.items),
    evalData,
    options,
  );
  return [ours, popularity];
}
