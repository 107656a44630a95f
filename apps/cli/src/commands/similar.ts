import path from 'node:path';
import { loadModelWithDocument, similarItems, type ExternalId } from '@ncf/core';
import type { CliIo } from '../cli-io.js';
import { startBackend, type GlobalOptions } from '../global-options.js';
import { toNumber, toText } from '../option-values.js';
import { printRanking } from '../wiring/print-ranking.js';
import { cliRegistry } from '../wiring/registry.js';
import { resultIo } from './recommend.js';

/** Options of `ncf similar`. */
export interface SimilarCommandOptions extends GlobalOptions {
  readonly modelDir?: unknown;
  readonly item?: unknown;
  readonly k?: unknown;
  readonly json?: boolean;
}

/**
 * `ncf similar --model-dir <dir> --item <id> -k 10`: the items most like one item by cosine similarity of the
 * model's item vectors (core's `similarItems`; models without item vectors are a one-line error naming the
 * kind). Needs only the model directory.
 */
export async function runSimilar(options: SimilarCommandOptions, io: CliIo): Promise<void> {
  const modelDir = path.resolve(toText(options.modelDir, 'modelDir'));
  const itemText = toText(options.item, 'item');
  const k = toNumber(options.k ?? 10, 'k', { integer: true, min: 1 });
  await startBackend(options, resultIo(io, options.json));
  const loaded = await loadModelWithDocument(modelDir, { registry: cliRegistry() });
  try {
    const ids = loaded.model.info.itemIds;
    const asNumber = Number(itemText);
    const item: ExternalId = ids?.type === 'string' || Number.isNaN(asNumber) ? itemText : asNumber;
    const sim = similarItems(loaded.model, item, { k });
    printRanking(io, {
      heading: `${sim.items.length} items most like item ${String(sim.item)} (${loaded.document.kind}, cosine of item vectors):`,
      ...sim,
      titles: undefined,
      json: options.json,
      extra: { item: sim.item },
    });
  } finally {
    loaded.model.dispose();
  }
}
