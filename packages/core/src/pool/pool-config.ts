import { ConfigError } from '../errors.js';

/** Bounds of the compute pool's thread count. */
export const POOL_DEFAULTS = Object.freeze({
  /** Most threads a pool takes (main thread included); more than the machine's cores only adds contention. */
  maxThreads: 64,
  /**
   * Below this many multiply-adds a kernel runs on the calling thread alone: waking a worker costs tens of
   * microseconds (an `Atomics.notify` round trip), which a small product does not repay.
   */
  minParallelWork: 1 << 16,
  /**
   * Below this many multiply-adds a dense product stays on tfjs's heap, single-thread: on the pool it also
   * pays for copying its operands into the shared memory and its product out.
   */
  minParallelGemmWork: 1 << 21,
});

/** Where the thread count came from, for {@link BackendInfo}-style descriptions. */
export type ThreadsSource = 'option' | 'NCF_THREADS' | 'cores';

/** A resolved thread count and its source. */
export interface ResolvedThreads {
  readonly threads: number;
  readonly source: ThreadsSource;
}

function checkThreads(value: number, field: string, raw: unknown): number {
  if (!Number.isInteger(value) || value < 1 || value > POOL_DEFAULTS.maxThreads) {
    throw new ConfigError(
      `${field} must be an integer from 1 to ${POOL_DEFAULTS.maxThreads} (1 = single-thread), got ${String(raw)}`,
      field,
    );
  }
  return value;
}

/**
 * The compute pool's thread count (the main thread counts as one): the `threads` option if given, else env
 * `NCF_THREADS`, else `cores` (the machine's available parallelism). Throws ConfigError naming the option or
 * the variable for anything but an integer in `[1, maxThreads]`.
 */
export function resolveThreads(
  option: number | undefined,
  env: string | undefined,
  cores: number,
): ResolvedThreads {
  if (option !== undefined) return { threads: checkThreads(option, 'threads', option), source: 'option' };
  if (env !== undefined && env.trim() !== '') {
    const trimmed = env.trim();
    const n = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    return { threads: checkThreads(n, 'NCF_THREADS', `'${env}'`), source: 'NCF_THREADS' };
  }
  return { threads: Math.max(1, Math.min(POOL_DEFAULTS.maxThreads, Math.floor(cores))), source: 'cores' };
}
