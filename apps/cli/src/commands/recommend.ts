import path from 'node:path';
import {
  loadModelWithDocument,
  recommend,
  recommendForHistory,
  type ExternalId,
  type LoadedModel,
} from '@ncf/core';
import type { CliIo } from '../cli-io.js';
import { startBackend, type GlobalOptions } from '../global-options.js';
import { toNumber, toText } from '../option-values.js';
import { readHistoryFile } from '../wiring/history-file.js';
import { seenInteractionsOf } from '../wiring/load-data.js';
import { printRanking } from '../wiring/print-ranking.js';
import { cliRegistry } from '../wiring/registry.js';
import { loadModelAndData } from '../wiring/saved-model.js';

/** Options of `ncf recommend`. */
export interface RecommendCommandOptions extends GlobalOptions {
  readonly modelDir?: unknown;
  readonly user?: unknown;
  /** A new user's ratings file (JSON, JSON lines or CSV with `item[,rating]`), instead of `--user`. */
  readonly ratings?: unknown;
  readonly explain?: boolean;
  readonly json?: boolean;
  readonly k?: unknown;
  readonly data?: unknown;
  readonly includeSeen?: boolean;
}

/** Diagnostics go to stderr under `--json`, so stdout holds exactly one JSON document. */
export function resultIo(io: CliIo, json: boolean | undefined): CliIo {
  return json ? { ...io, out: (line) => io.err(line) } : io;
}

/**
 * `ncf recommend --model-dir <dir> --user <id> -k 10`: the user's top-K items by the saved model, with every
 * item the user interacted with in the data (all splits, so held-out items too) excluded (unless
 * `--include-seen`), as external ids with scores and, for MovieLens data, titles. An unknown user id is a
 * one-line error.
 *
 * `--ratings <file>` instead scores a user the model never saw from their ratings, with no retraining
 * (core's `recommendForHistory`: the model's own history scoring, fold-in for dot-product models, or
 * popularity when no rated item is known); the strategy is printed, and `--explain` lists the history used.
 */
export async function runRecommend(options: RecommendCommandOptions, io: CliIo): Promise<void> {
  const modelDir = path.resolve(toText(options.modelDir, 'modelDir'));
  const k = toNumber(options.k ?? 10, 'k', { integer: true, min: 1 });
  if (options.ratings !== undefined) return recommendNewUser(modelDir, k, options, io);
  const userText = toText(options.user, 'user');
  await startBackend(options, resultIo(io, options.json));
  const { loaded, data } = await loadModelAndData(
    modelDir,
    options.data === undefined ? undefined : toText(options.data, 'data'),
    42,
  );
  try {
    const model = loaded.model;
    // External ids keep their type: MovieLens ids are numbers, so "196" means user 196.
    const user: ExternalId = model.info.userIds?.type === 'string' ? userText : Number(userText);
    const rec = recommend(model, Number.isNaN(user) ? userText : user, {
      k,
      excludeSeen: !options.includeSeen,
      seen: seenInteractionsOf(data),
    });
    const heading = `top ${rec.items.length} for user ${String(rec.user)} (${loaded.document.kind}${options.includeSeen ? '' : ', seen items excluded'}):`;
    printRanking(io, {
      heading,
      ...rec,
      titles: data.itemTitles,
      json: options.json,
      extra: { user: rec.user },
    });
  } finally {
    loaded.model.dispose();
  }
}

async function recommendNewUser(
  modelDir: string,
  k: number,
  options: RecommendCommandOptions,
  io: CliIo,
): Promise<void> {
  const file = path.resolve(toText(options.ratings, 'ratings'));
  await startBackend(options, resultIo(io, options.json));
  const loaded: LoadedModel = await loadModelWithDocument(modelDir, { registry: cliRegistry() });
  try {
    const history = readHistoryFile(file, loaded.model.info.itemIds);
    const rec = recommendForHistory(loaded.model, history, { k, excludeRated: !options.includeSeen });
    const used = history.length - rec.skipped.length;
    const why =
      rec.strategy === 'popularity'
        ? 'no rated item is known to the model: most popular items'
        : rec.strategy === 'fold-in'
          ? `fold-in: a user vector fitted to ${used} rated item(s) against the model's item vectors`
          : `the model scores the ${used} rated item(s) directly`;
    const diag = resultIo(io, options.json);
    diag.out(`strategy: ${rec.strategy} (${why})`);
    if (rec.skipped.length) {
      diag.out(`skipped ${rec.skipped.length} item(s) the model does not know: ${rec.skipped.join(', ')}`);
    }
    if (options.explain) {
      const known = history.filter((h) => !rec.skipped.includes(h.item));
      diag.out(
        `because you rated: ${known.map((h) => (h.rating !== undefined ? `${h.item} (${h.rating})` : String(h.item))).join(', ') || '(nothing known)'}`,
      );
    }
    printRanking(io, {
      heading: `top ${rec.items.length} for a new user (${loaded.document.kind}, ${rec.strategy}):`,
      ...rec,
      titles: undefined,
      json: options.json,
      extra: { strategy: rec.strategy, skipped: rec.skipped, historySize: history.length },
    });
  } finally {
    loaded.model.dispose();
  }
}
