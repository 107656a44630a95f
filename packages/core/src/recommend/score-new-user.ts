import { HistoryScoringUnsupportedError } from '../errors.js';
import { foldInUser } from '../fold-in.js';
import type { FoldInOptions } from '../fold-in.js';
import { checkUserHistory, scoreWithItemFactors } from '../item-factors.js';
import type { ItemFactors, UserHistory } from '../item-factors.js';
import type { Recommender } from '../model.js';

/** How a user given by history was scored. */
export type HistoryStrategy = 'history' | 'fold-in';

/** Options of {@link scoreNewUser}. */
export interface ScoreNewUserOptions {
  /** Dense items to score; default every item, in index order. */
  readonly items?: Int32Array;
  /** Options of the fold-in, when the model is scored that way. */
  readonly foldIn?: FoldInOptions;
  /** `model.itemFactors()` computed beforehand, to reuse across users (it copies the item table). */
  readonly itemFactors?: ItemFactors;
}

/** Scores of a user given by history, and which capability of the model produced them. */
export interface NewUserScores {
  /** Scores aligned with `options.items` (or every item), on the model's own scale. */
  readonly scores: Float32Array;
  readonly strategy: HistoryStrategy;
}

/** The strategy {@link scoreNewUser} uses for `model`, or `undefined` when it has neither capability. */
export function historyStrategyOf(model: Recommender): HistoryStrategy | undefined {
  if (typeof model.scoreHistory === 'function') return 'history';
  if (typeof model.itemFactors === 'function') return 'fold-in';
  return undefined;
}

/**
 * Scores a user the model never saw, given by `history` (dense items, raw values): through the model's own
 * `scoreHistory` when it has one (strategy `history`), else by fold-in against `itemFactors()` (strategy
 * `fold-in`: see `foldInUser`). Throws {@link HistoryScoringUnsupportedError} for models with neither, and
 * DataError for a malformed history. An empty history is scored as the model does (fold-in: a zero user
 * vector, so item biases alone); `recommendForHistory` falls back to popularity instead.
 */
export function scoreNewUser(
  model: Recommender,
  history: UserHistory,
  options: ScoreNewUserOptions = {},
): NewUserScores {
  const strategy = historyStrategyOf(model);
  checkUserHistory(history, model.info.numItems);
  if (strategy === 'history') {
    return { scores: model.scoreHistory!(history, options.items), strategy };
  }
  if (strategy === 'fold-in') {
    const factors = options.itemFactors ?? model.itemFactors!();
    const user = foldInUser(factors, history, options.foldIn);
    return { scores: scoreWithItemFactors(factors, user, options.items), strategy };
  }
  throw new HistoryScoringUnsupportedError(model.kind);
}
