import cliProgress from 'cli-progress';
import type { FitProgress, FitResult, Recommender } from '@ncf/core';
import type { CliIo } from './cli-io.js';
import type { PreparedData } from './wiring/load-data.js';
import { trainModel } from './wiring/train-model.js';
import type { TrainSettings } from './wiring/train-model.js';

/** Formats a metrics object as `hr@10 0.6123  ndcg@10 0.3456`. */
export function formatMetrics(metrics: Readonly<Record<string, number>> | undefined): string {
  if (!metrics) return '';
  return Object.entries(metrics)
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`)
    .join('  ');
}

/**
 * Draws fit()'s progress events: a progress bar per epoch on an interactive terminal (cli-progress), and one
 * line per finished epoch (loss, validation metrics, seconds) on stderr in every case, so logs keep them.
 * Returns the `onProgress` callback and a `stop()` that clears a bar left open (e.g. after an error).
 */
export function createFitProgress(
  io: CliIo,
  label = 'train',
): { onProgress: (e: FitProgress) => void; stop(): void } {
  let bar: cliProgress.SingleBar | undefined;
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
  };
  const onProgress = (e: FitProgress): void => {
    switch (e.type) {
      case 'batch':
        if (!io.progressStream) return;
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              stream: io.progressStream,
              format: `${label} epoch {epoch}/{epochs} [{bar}] {percentage}% | loss {loss} | {duration_formatted}`,
              clearOnComplete: true,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(e.examplesPerEpoch, 0, { epoch: e.epoch, epochs: e.epochs, loss: '-' });
        }
        bar.update(e.examples, { loss: e.loss.toFixed(4) });
        return;
      case 'validate':
        if (bar) bar.update({ loss: 'validating…' });
        return;
      case 'epoch': {
        stop();
        const metrics = formatMetrics(e.record.metrics);
        io.err(
          `${label} epoch ${e.epoch}/${e.epochs}  loss ${e.record.loss.toFixed(4)}` +
            `${metrics ? `  ${metrics}` : ''}  ${e.record.seconds.toFixed(1)} s`,
        );
        return;
      }
      case 'checkpoint':
        return;
    }
  };
  return { onProgress, stop };
}

/** Trains `model` with {@link trainModel}, drawing progress on `io` and stopping on `io.signal`. */
export async function trainWithProgress(
  io: CliIo,
  model: Recommender,
  data: PreparedData,
  settings: TrainSettings,
): Promise<FitResult> {
  const progress = createFitProgress(io);
  try {
    return await trainModel(model, data, settings, {
      onProgress: progress.onProgress,
      ...(io.signal ? { signal: io.signal } : {}),
    });
  } finally {
    progress.stop();
  }
}
