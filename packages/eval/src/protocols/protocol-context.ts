import { throwIfAborted } from '@ncf/core/base';
import type { EvalProgress } from '../eval-result.js';
import type { UserGroups } from '../groups.js';
import type { MetricAccumulator } from '../metric-accumulator.js';

/** Resolved options every protocol receives from {@link evaluate}. */
export interface ProtocolContext {
  /** Cut-offs, ascending, distinct. */
  readonly ks: readonly number[];
  /** Users (or rows) per model call; undefined = the protocol's automatic size. */
  readonly batchSize: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((progress: EvalProgress) => void) | undefined;
  readonly groups: UserGroups | undefined;
}

/** What a protocol hands back to {@link evaluate}. */
export interface ProtocolOutput {
  readonly accumulator: MetricAccumulator;
  /** Extra overall metrics not averaged per unit (e.g. coverage). */
  readonly extra: Readonly<Record<string, number>>;
  /** Extra metrics per group index. */
  readonly groupExtra?: readonly Readonly<Record<string, number>>[];
  readonly users: number;
  readonly unitLabel: 'users' | 'rows';
  readonly protocolText: string;
  readonly negativesText: string;
  readonly maskedText: string;
  readonly notes: readonly string[];
  /** Turns the accumulated means into reported metrics (e.g. `mse` → `rmse`); identity when absent. */
  readonly finish?: (means: Record<string, number>) => Record<string, number>;
}

/** Between batches: throws AbortError when aborted, reports progress and yields to the event loop. */
export async function batchDone(
  ctx: ProtocolContext,
  done: number,
  total: number,
  unit: 'users' | 'rows',
): Promise<void> {
  ctx.onProgress?.({ done, total, unit });
  await new Promise<void>((resolve) => setImmediate(resolve));
  throwIfAborted(ctx.signal);
}
