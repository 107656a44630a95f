import type { CliIo } from '../cli-io.js';
import { trainWithProgress } from '../fit-progress.js';
import { startBackend, type GlobalOptions } from '../global-options.js';
import { ConfigError } from '@ncf/core';
import { toChoice, toText } from '../option-values.js';
import { DATA_FILE_FORMATS } from '../wiring/data-file.js';
import { parseDataSource, type DataSource } from '../wiring/data-source.js';
import { loadData } from '../wiring/load-data.js';
import { checkOutDir } from '../wiring/out-dir.js';
import { cliRegistry } from '../wiring/registry.js';
import type { CliTrainingRecord } from '../wiring/saved-model.js';
import { createModel, dataSpecOf } from '../wiring/train-model.js';
import { trainSettingsFrom, type TrainFlags } from '../wiring/train-settings.js';

/** Options of `ncf train`. */
export interface TrainCommandOptions extends GlobalOptions, TrainFlags {
  readonly data?: unknown;
  readonly out?: unknown;
  /** Replace a model already saved in `--out`. */
  readonly force?: boolean;
  /** `--data <file>`: its format, separator and role columns (detected when absent). */
  readonly format?: unknown;
  readonly delimiter?: unknown;
  readonly userCol?: unknown;
  readonly itemCol?: unknown;
  readonly ratingCol?: unknown;
  readonly timestampCol?: unknown;
  /** `loo` (default) or `none` (train on everything). */
  readonly holdout?: unknown;
}

/** A `--…-col` value: a 0-based position when it is a number, else a header name. */
function columnRef(value: unknown, option: string): string | number | undefined {
  if (value === undefined) return undefined;
  const text = toText(value, option);
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** `--data` with the file flags applied (ConfigError when they are given for data that is not a file). */
export function dataSourceOf(options: TrainCommandOptions): DataSource {
  const format =
    options.format === undefined ? undefined : toChoice(options.format, 'format', DATA_FILE_FORMATS);
  const spec = parseDataSource(toText(options.data, 'data'), process.cwd(), format);
  const columns = Object.fromEntries(
    (['user', 'item', 'rating', 'timestamp'] as const)
      .map((role) => [role, columnRef(options[`${role}Col`], `${role}Col`)] as const)
      .filter(([, v]) => v !== undefined),
  );
  const delimiter =
    options.delimiter === undefined
      ? undefined
      : toText(options.delimiter, 'delimiter').replace(/^\\t$|^tab$/i, '\t');
  if (spec.source !== 'file') {
    if (delimiter !== undefined || Object.keys(columns).length || format !== undefined) {
      throw new ConfigError('--format, --delimiter and --…-col apply to --data <file> only', 'data');
    }
    return spec;
  }
  return {
    ...spec,
    ...(delimiter !== undefined ? { delimiter } : {}),
    ...(Object.keys(columns).length ? { columns: { ...spec.columns, ...columns } } : {}),
  };
}

/** Defaults of `ncf train` (other fields: the model's and fit()'s own defaults). */
export const TRAIN_DEFAULTS = { model: 'neumf' } as const;

/**
 * `ncf train --data <dir|variant> --model <kind> --out <dir>`: loads and splits the data (leave-one-out),
 * trains with fit(), and saves the model atomically with the data spec and split seed in its training
 * metadata, so `ncf evaluate` and `ncf recommend` need only `--model-dir`. `--out` is checked first (see
 * {@link checkOutDir}): an existing model there is replaced only with `--force`.
 */
export async function runTrain(options: TrainCommandOptions, io: CliIo): Promise<void> {
  const registry = cliRegistry();
  const settings = trainSettingsFrom(options, registry, TRAIN_DEFAULTS);
  const spec = dataSourceOf(options);
  const out = checkOutDir(toText(options.out, 'out'), options.force === true);
  const backend = await startBackend(options, io);
  const holdout = toChoice(options.holdout ?? 'loo', 'holdout', ['loo', 'none'] as const);
  const data = await loadData(spec, {
    holdout,
    seed: settings.seed,
    dataSpec: dataSpecOf(registry, settings),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  io.out(
    `data: ${data.name}: ${data.info.numUsers} users × ${data.info.numItems} items; ${data.train.length} train, ${data.test.length} test`,
  );
  const model = createModel(registry, settings, data);
  try {
    io.out(`model: ${model.kind} ${JSON.stringify(model.config)}`);
    const fitted = await trainWithProgress(io, model, data, settings);
    const record: CliTrainingRecord = {
      data: spec,
      splitSeed: settings.seed,
      split: data.splitText,
      ...(holdout === 'none' ? { holdout } : {}),
      ...(settings.negatives !== undefined ? { negatives: settings.negatives } : {}),
    };
    await model.save(out, { training: { ...fitted.training, ...record } });
    io.out(
      `trained: ${fitted.epochsRun} epochs, final loss ${fitted.history.at(-1)?.loss.toFixed(4) ?? '-'}, ` +
        `${fitted.seconds.toFixed(1)} s on ${backend.name}`,
    );
    io.out(`saved: ${out}`);
  } finally {
    model.dispose();
  }
}
