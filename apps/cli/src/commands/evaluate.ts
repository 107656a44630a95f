import path from 'node:path';
import { DataError } from '@ncf/core';
import type { CliIo } from '../cli-io.js';
import { startBackend, type GlobalOptions } from '../global-options.js';
import { toChoice, toNumber, toText } from '../option-values.js';
import { printResults, writeJson } from '../print-results.js';
import { evaluateWithBaseline } from '../wiring/evaluate-model.js';
import { loadModelAndData } from '../wiring/saved-model.js';

/** Options of `ncf evaluate`. */
export interface EvaluateCommandOptions extends GlobalOptions {
  readonly modelDir?: unknown;
  readonly data?: unknown;
  readonly k?: unknown;
  readonly protocol?: unknown;
  readonly sampledNegatives?: unknown;
  readonly seed?: unknown;
  readonly json?: unknown;
}

/**
 * `ncf evaluate --model-dir <dir>`: loads the model and the data it was trained on (or `--data`), rebuilds
 * the same split, and evaluates it with \@ncf/eval (full ranking by default, or sampled) beside the
 * popularity baseline; every number is printed with its protocol line.
 */
export async function runEvaluate(options: EvaluateCommandOptions, io: CliIo): Promise<void> {
  const modelDir = path.resolve(toText(options.modelDir, 'modelDir'));
  const settings = {
    protocol: toChoice(options.protocol ?? 'full', 'protocol', ['full', 'sampled'] as const),
    k: toNumber(options.k ?? 10, 'k', { integer: true, min: 1 }),
    sampledNegatives: toNumber(options.sampledNegatives ?? 99, 'sampledNegatives', { integer: true, min: 1 }),
    seed: toNumber(options.seed ?? 42, 'seed', { integer: true, min: 0 }),
  };
  const data = options.data === undefined ? undefined : toText(options.data, 'data');
  const backend = await startBackend(options, io);
  const { loaded, data: prepared } = await loadModelAndData(modelDir, data, settings.seed);
  try {
    if (prepared.test.length === 0) {
      throw new DataError(
        `the model in ${modelDir} was trained with --holdout none: no interaction was held out to evaluate on; ` +
          'train with --holdout loo (the default) to evaluate',
      );
    }
    io.out(`model: ${loaded.document.kind} from ${modelDir}`);
    io.out(
      `data: ${prepared.name}: ${prepared.info.numUsers} users × ${prepared.info.numItems} items; ${prepared.splitText}`,
    );
    const results = await evaluateWithBaseline(loaded.model, prepared, settings, io.signal);
    printResults(io, results);
    if (options.json !== undefined) {
      const out = writeJson(
        toText(options.json, 'json'),
        { command: 'evaluate', backend: backend.name, modelDir, model: loaded.document.kind },
        results,
      );
      io.err(`wrote ${out}`);
    }
  } finally {
    loaded.model.dispose();
  }
}
