import path from 'node:path';
import { recommend, type ExternalId } from '@ncf/core';
import type { CliIo } from '../cli-io.js';
import { startBackend, type GlobalOptions } from '../global-options.js';
import { toNumber, toText } from '../option-values.js';
import { seenInteractionsOf } from '../wiring/load-data.js';
import { loadModelAndData } from '../wiring/saved-model.js';

/** Options of `ncf recommend`. */
export interface RecommendCommandOptions extends GlobalOptions {
  readonly modelDir?: unknown;
  readonly user?: unknown;
  readonly k?: unknown;
  readonly data?: unknown;
  readonly includeSeen?: boolean;
}

/**
 * `ncf recommend --model-dir <dir> --user <id> -k 10`: the user's top-K items by the saved model, with every
 * item the user interacted with in the data (all splits, so held-out items too) excluded (unless `--include-seen`), as external ids with scores
 * and, for MovieLens data, titles. An unknown user id is a one-line error.
 */
export async function runRecommend(options: RecommendCommandOptions, io: CliIo): Promise<void> {
  const modelDir = path.resolve(toText(options.modelDir, 'modelDir'));
  const userText = toText(options.user, 'user');
  const k = toNumber(options.k ?? 10, 'k', { integer: true, min: 1 });
  await startBackend(options, io);
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
    io.out(
      `top ${rec.items.length} for user ${String(rec.user)} (${loaded.document.kind}${options.includeSeen ? '' : ', seen items excluded'}):`,
    );
    const rows = rec.items.map((item, r) => {
      const title = data.itemTitles?.[rec.itemIndices[r]!];
      return [`${r + 1}`, String(item), rec.scores[r]!.toFixed(4), title ?? ''];
    });
    const header = ['rank', 'item', 'score', data.itemTitles ? 'title' : ''];
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
    const line = (cells: string[]): string =>
      cells
        .map((cell, c) =>
          c === 3 ? cell : c === 0 || c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!),
        )
        .join('  ')
        .trimEnd();
    io.out(line(header));
    for (const row of rows) io.out(line(row));
  } finally {
    loaded.model.dispose();
  }
}
