import { POOL_KERNELS_BASE64 } from './pool-kernels-binary.js';
import { resolveThreads } from './pool-config.js';
import type { ThreadsSource } from './pool-config.js';
import { SharedArena } from './shared-arena.js';
import type { GrowableMemory } from './shared-arena.js';
import { topKRow } from './pool-top-k.js';
import {
  POOL_CONTROL_BYTES,
  POOL_JOBS,
  POOL_LAYOUT,
  createPartRunner,
  poolWorkerSource,
} from './pool-worker.js';
import type { PoolKernelExports } from './pool-worker.js';

/** What {@link startComputePool} set up, as `initBackend` reports it. */
export interface PoolInfo {
  /** Threads that compute (the main thread included); 1 = the single-thread path. */
  readonly threads: number;
  /** Threads asked for (option, `NCF_THREADS` or the machine's cores). */
  readonly requested: number;
  readonly source: ThreadsSource;
  /** e.g. `2 threads (1 worker, shared WebAssembly memory)` or `1 thread: SharedArrayBuffer unavailable …`. */
  readonly description: string;
}

/** A running pool: N − 1 workers and the main thread over one shared memory. */
export interface ComputePool {
  readonly threads: number;
  /** The kernels instantiated on the main thread (for part 0 and for serial runs). */
  readonly kernels: PoolKernelExports;
  /** The shared memory's current buffer (re-read after any allocation: growth replaces it). */
  buffer(): ArrayBufferLike;
  /** A reusable region of at least `bytes` for call operands; `slot` 0–3 (up to four at once). */
  scratch(slot: number, bytes: number): number;
  /**
   * The offset of a region cached for `key` (by identity): the first call allocates `bytes` and lets `fill`
   * write them; later calls return the same region. Freed when `key` is garbage-collected. For operands that
   * never change (a graph's CSR), so they are copied into the shared memory once.
   */
  resident(key: object, bytes: number, fill: (offset: number) => void): number;
  /**
   * Runs job `kind` with int32 `args` split into `bounds.length − 1` parts (≤ threads; part p = rows
   * `[bounds[p], bounds[p+1])`): part 0 on the calling thread, part p on worker p. Returns when all are done;
   * rethrows the first failure.
   */
  run(kind: number, args: readonly number[], bounds: readonly number[]): void;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => GrowableMemory;
}
interface PoolWorker {
  unref(): void;
  ref(): void;
  terminate(): Promise<number>;
  once(event: string, listener: (value: unknown) => void): void;
  on(event: string, listener: (value: unknown) => void): void;
}
type WorkerCtor = new (source: string, options: { eval: true; workerData: unknown }) => PoolWorker;

/** Most memory the pool may grow to, in pages (4 GiB: the whole 32-bit space). */
const MAX_PAGES = 65536;

let active: (ComputePool & { stop(): Promise<void> }) | undefined;
let activeInfo: PoolInfo = {
  threads: 1,
  requested: 1,
  source: 'option',
  description: '1 thread (pool not started)',
};

/**
 * Why a multi-thread pool cannot run in this runtime, or undefined when it can. Shared wasm memory needs
 * `SharedArrayBuffer` (absent on a browser page without cross-origin isolation) and a WebAssembly with SIMD
 * and threads; `globals` is injectable for tests.
 */
export function poolUnavailableReason(globals: object = globalThis): string | undefined {
  const g = globals as { SharedArrayBuffer?: unknown; Atomics?: unknown; WebAssembly?: WasmApi };
  if (typeof g.SharedArrayBuffer !== 'function') {
    return 'SharedArrayBuffer unavailable (a browser page needs cross-origin isolation)';
  }
  if (typeof g.Atomics !== 'object') return 'Atomics unavailable';
  const wasm = g.WebAssembly;
  if (wasm === undefined) return 'WebAssembly unavailable';
  try {
    new wasm.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return 'shared WebAssembly memory unavailable';
  }
  if (!wasm.validate(poolKernelBytes())) return 'WebAssembly SIMD or threads unavailable';
  return undefined;
}

function poolKernelBytes(): Uint8Array {
  return Uint8Array.from(atob(POOL_KERNELS_BASE64), (c) => c.charCodeAt(0));
}

function single(requested: number, source: ThreadsSource, why: string): PoolInfo {
  return { threads: 1, requested, source, description: `1 thread${why ? `: ${why}` : ''}` };
}

/**
 * Starts the compute pool with `threads` threads (default env `NCF_THREADS`, else the machine's available
 * cores; see `resolveThreads`), replacing a pool of another size. 1 thread starts nothing: every kernel
 * then takes the single-thread path it had before the pool existed. Where the runtime cannot share memory
 * between threads, it falls back to 1 thread and says why in {@link PoolInfo.description}. Workers are
 * `unref()`ed: they never keep the process alive, and they end with it.
 */
export async function startComputePool(options: { threads?: number } = {}): Promise<PoolInfo> {
  const os = await import('node:os').catch(() => undefined);
  const cores = os?.availableParallelism?.() ?? os?.cpus().length ?? 1;
  const { threads: requested, source } = resolveThreads(
    options.threads,
    globalThis.process?.env?.NCF_THREADS,
    cores,
  );
  if (active !== undefined && active.threads === requested) return activeInfo;
  await stopComputePool();
  if (requested === 1) {
    activeInfo = single(1, source, '');
    return activeInfo;
  }
  const reason = poolUnavailableReason();
  const wt = await import('node:worker_threads').catch(() => undefined);
  if (reason !== undefined || wt === undefined) {
    activeInfo = single(requested, source, `${reason ?? 'worker_threads unavailable'} → single-thread`);
    return activeInfo;
  }
  try {
    active = await launch(requested, wt.Worker as unknown as WorkerCtor);
  } catch (err) {
    activeInfo = single(requested, source, `workers failed to start (${String(err)}) → single-thread`);
    return activeInfo;
  }
  activeInfo = {
    threads: requested,
    requested,
    source,
    description: `${requested} threads (${requested - 1} worker${requested > 2 ? 's' : ''}, shared WebAssembly memory)`,
  };
  return activeInfo;
}

/** The running pool, or undefined on the single-thread path (1 thread, fallback, or not started). */
export function computePool(): ComputePool | undefined {
  return active;
}

/** What the last {@link startComputePool} set up. */
export function computePoolInfo(): PoolInfo {
  return activeInfo;
}

/** Stops the workers and frees the shared memory; the single-thread path runs until the next start. */
export async function stopComputePool(): Promise<void> {
  const pool = active;
  active = undefined;
  activeInfo = { ...activeInfo, threads: 1, description: '1 thread (pool stopped)' };
  if (pool !== undefined) await pool.stop();
}

async function launch(threads: number, Worker: WorkerCtor): Promise<ComputePool & { stop(): Promise<void> }> {
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const module = new wasm.Module(poolKernelBytes());
  const memory = new wasm.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
  const kernels = new wasm.Instance(module, { env: { memory } }).exports as PoolKernelExports;
  const ctl = new Int32Array(memory.buffer, 0, POOL_LAYOUT.words);
  const runPart = createPartRunner(kernels, memory, POOL_LAYOUT, POOL_JOBS, topKRow);
  const arena = new SharedArena(memory, POOL_CONTROL_BYTES);
  const source = poolWorkerSource();
  const workers: PoolWorker[] = [];
  const started: Promise<void>[] = [];
  for (let part = 1; part < threads; part++) {
    const w = new Worker(source, {
      eval: true,
      workerData: { memory, module, part, layout: POOL_LAYOUT, jobs: POOL_JOBS },
    });
    workers.push(w);
    started.push(
      new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', (err) => reject(err as Error));
        w.once('exit', (code) => reject(new Error(`pool worker ${part} exited with code ${String(code)}`)));
      }),
    );
  }
  try {
    await Promise.all(started);
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  for (const w of workers) w.unref();

  const scratch: { offset: number; bytes: number }[] = [0, 1, 2, 3].map(() => ({ offset: 0, bytes: 0 }));
  const residents = new WeakMap<object, number>();
  const finalizer = new FinalizationRegistry<number>((offset) => {
    if (active === pool) arena.free(offset);
  });
  let running = false;
  const pool: ComputePool & { stop(): Promise<void> } = {
    threads,
    kernels,
    buffer: () => memory.buffer,
    scratch(slot, bytes) {
      const s = scratch[slot];
      if (s === undefined) throw new Error(`@ncf compute pool: scratch slot ${slot} is not 0–3`);
      if (s.bytes < bytes) {
        if (s.bytes > 0) arena.free(s.offset);
        const size = Math.max(bytes, 2 * s.bytes, 4096);
        s.offset = arena.alloc(size);
        s.bytes = size;
      }
      return s.offset;
    },
    resident(key, bytes, fill) {
      const have = residents.get(key);
      if (have !== undefined) return have;
      const offset = arena.alloc(bytes);
      fill(offset);
      residents.set(key, offset);
      finalizer.register(key, offset);
      return offset;
    },
    run(kind, args, bounds) {
      const parts = bounds.length - 1;
      if (parts < 1 || parts > threads) {
        throw new Error(`@ncf compute pool: ${parts} parts for ${threads} threads`);
      }
      if (running) throw new Error('@ncf compute pool: a job is already running (re-entrant call)');
      running = true;
      try {
        ctl[POOL_LAYOUT.kind] = kind;
        ctl[POOL_LAYOUT.parts] = parts;
        ctl[POOL_LAYOUT.err] = 0;
        args.forEach((v, i) => (ctl[POOL_LAYOUT.args + i] = v | 0));
        bounds.forEach((v, i) => (ctl[POOL_LAYOUT.bounds + i] = v));
        if (parts === 1) {
          runPart(0);
          return;
        }
        Atomics.store(ctl, POOL_LAYOUT.done, 0);
        Atomics.add(ctl, POOL_LAYOUT.gen, 1);
        Atomics.notify(ctl, POOL_LAYOUT.gen);
        let mainError: unknown;
        try {
          runPart(0);
        } catch (err) {
          mainError = err;
        }
        const others = threads - 1;
        for (
          let d = Atomics.load(ctl, POOL_LAYOUT.done);
          d < others;
          d = Atomics.load(ctl, POOL_LAYOUT.done)
        ) {
          Atomics.wait(ctl, POOL_LAYOUT.done, d);
        }
        if (mainError !== undefined) throw mainError;
        const failed = Atomics.load(ctl, POOL_LAYOUT.err);
        if (failed !== 0) {
          const len = ctl[POOL_LAYOUT.errLen]!;
          const text = String.fromCharCode(...ctl.subarray(POOL_LAYOUT.errText, POOL_LAYOUT.errText + len));
          throw new Error(`@ncf compute pool: part ${failed - 1} failed: ${text}`);
        }
      } finally {
        running = false;
      }
    },
    async stop() {
      ctl[POOL_LAYOUT.kind] = POOL_JOBS.stop;
      Atomics.add(ctl, POOL_LAYOUT.gen, 1);
      Atomics.notify(ctl, POOL_LAYOUT.gen);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
  return pool;
}
