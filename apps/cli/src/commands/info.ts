import path from 'node:path';
import { formatDataSpec, readModelDocument } from '@ncf/core';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { formatMetrics } from '../fit-progress.js';

/** Options of `ncf info`. */
export interface InfoCommandOptions extends GlobalOptions {
  readonly dir: string;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * `ncf info <dir>`: what a saved model is, from its `model.json` (validated by @ncf/core; weights are not
 * loaded and no backend starts): kind, format version, config, dataset sizes, training metadata, versions.
 */
export async function runInfo(options: InfoCommandOptions, io: CliIo): Promise<void> {
  const dir = path.resolve(options.dir);
  const doc = await readModelDocument(dir);
  const { training, dataset } = doc;
  const rows: [string, string][] = [
    [
      'model',
      `${doc.kind} (format version ${doc.formatVersion}, ` +
        `${doc.dataSpec ? formatDataSpec(doc.dataSpec) : `${String(doc.batchKind)} batches`})`,
    ],
    ['config', JSON.stringify(doc.config)],
    [
      'dataset',
      `${dataset.numUsers} users × ${dataset.numItems} items` +
        (dataset.ratingRange ? `, ratings ${dataset.ratingRange[0]}–${dataset.ratingRange[1]}` : '') +
        (dataset.itemFeatures ? `, item features ${dataset.itemFeatures.dim}` : '') +
        (dataset.userFeatures ? `, user features ${dataset.userFeatures.dim}` : ''),
    ],
  ];
  const t = training as Record<string, unknown>;
  if (t.data !== undefined) rows.push(['data', describe(t.data)]);
  if (t.split !== undefined) rows.push(['split', describe(t.split)]);
  const fitBits = [
    t.epochs !== undefined ? `${describe(t.epochs)} epochs` : '',
    t.batchSize !== undefined ? `batch ${describe(t.batchSize)}` : '',
    t.negatives !== undefined ? `${describe(t.negatives)} negatives/positive` : '',
    t.seed !== undefined ? `seed ${describe(t.seed)}` : '',
    t.backend !== undefined ? `on ${describe(t.backend)}` : '',
    typeof t.finalLoss === 'number' ? `final loss ${t.finalLoss.toFixed(4)}` : '',
  ].filter(Boolean);
  if (fitBits.length) rows.push(['training', fitBits.join(', ')]);
  if (t.optimizer !== undefined) rows.push(['optimizer', describe(t.optimizer)]);
  if (t.metrics !== undefined) rows.push(['metrics', formatMetrics(t.metrics as Record<string, number>)]);
  rows.push(['saved', doc.savedAt]);
  rows.push([
    'versions',
    Object.entries(doc.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  ]);
  const width = Math.max(...rows.map(([k]) => k.length));
  io.out(dir);
  for (const [k, v] of rows) io.out(`  ${k.padEnd(width)}  ${v}`);
}
