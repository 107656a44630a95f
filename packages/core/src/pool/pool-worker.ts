import { topKRow } from './pool-top-k.js';

/**
 * Word indices of the pool's control block: an Int32Array over the first bytes of the shared memory
 * (`POOL_CONTROL_BYTES`; the allocator starts after it). A job is published by writing `kind`, `parts`,
 * `args` and `bounds`, then bumping `gen` and notifying it; each worker runs its part, adds 1 to `done` and
 * notifies it; the main thread runs part 0 meanwhile and waits on `done`.
 */
export const POOL_LAYOUT = Object.freeze({
  /** Job generation: workers wait until it changes. */
  gen: 0,
  /** Workers finished with the current job. */
  done: 1,
  /** Job kind (`POOL_JOBS`). */
  kind: 2,
  /** Parts the job is split into (part p runs on worker p, part 0 on the main thread). */
  parts: 3,
  /** 0, or 1 + the first failing part. */
  err: 4,
  /** Length in UTF-16 units of the failure message at `errText`. */
  errLen: 5,
  /** 32 int32 arguments (byte offsets and sizes). */
  args: 8,
  /** `parts + 1` row bounds: part p computes rows [bounds[p], bounds[p + 1]). */
  bounds: 64,
  /** A failure message, one UTF-16 unit per word. */
  errText: 1024,
  errTextMax: 1000,
  /** Words in the control block. */
  words: 2048,
});

/** The control block's layout (the shape of {@link POOL_LAYOUT}). */
export type PoolLayout = typeof POOL_LAYOUT;

/** Bytes reserved at the start of the shared memory for the control block (one wasm page). */
export const POOL_CONTROL_BYTES = 65536;

/** Job kinds; 0 stops the workers. */
export const POOL_JOBS = Object.freeze({ stop: 0, csr: 1, topK: 3, gemm: 4 });

/** Users a top-K part scores at once (one gemm of `TOP_K_BLOCK × items`), then ranks one by one. */
export const TOP_K_BLOCK = 16;

/** Exports of the pool's module used here (`pool-kernels.wat`, and `gemm` from `kernels.wat`). */
export interface PoolKernelExports {
  gemm(
    a: number,
    sar: number,
    sap: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    m: number,
    n: number,
    k: number,
    bias: number,
    flags: number,
  ): void;
  csr_rows(
    offsets: number,
    indices: number,
    values: number,
    x: number,
    out: number,
    dim: number,
    row0: number,
    row1: number,
  ): void;
}

/** The shared memory as the runners see it. */
interface SharedMemoryLike {
  readonly buffer: ArrayBufferLike;
}

/**
 * Returns `run(part)`, which computes part `part` of the job in the control block. Used on the main thread
 * and, stringified, in every worker: self-contained apart from its parameters.
 */
export function createPartRunner(
  kernels: PoolKernelExports,
  memory: SharedMemoryLike,
  layout: PoolLayout,
  jobs: typeof POOL_JOBS,
  topK: typeof topKRow,
): (part: number) => void {
  const ctl = new Int32Array(memory.buffer, 0, layout.words);
  let marks = new Uint8Array(0);
  let heapItems = new Int32Array(0);
  let heapScores = new Float32Array(0);
  return (part) => {
    const kind = ctl[layout.kind]!;
    const a = layout.args;
    const row0 = ctl[layout.bounds + part]!;
    const row1 = ctl[layout.bounds + part + 1]!;
    if (row1 <= row0) return;
    if (kind === jobs.csr) {
      kernels.csr_rows(ctl[a]!, ctl[a + 1]!, ctl[a + 2]!, ctl[a + 3]!, ctl[a + 4]!, ctl[a + 5]!, row0, row1);
    } else if (kind === jobs.gemm) {
      // Rows [row0, row1) of C: A's rows start at row0·sar floats, C's at row0·ldc (B and the bias are whole).
      const sar = ctl[a + 1]!;
      const ldc = ctl[a + 6]!;
      kernels.gemm(
        (ctl[a]! >>> 0) + row0 * sar * 4,
        sar,
        ctl[a + 2]!,
        ctl[a + 3]!,
        ctl[a + 4]!,
        (ctl[a + 5]! >>> 0) + row0 * ldc * 4,
        ldc,
        row1 - row0,
        ctl[a + 7]!,
        ctl[a + 8]!,
        ctl[a + 9]!,
        ctl[a + 10]!,
      );
    } else if (kind === jobs.topK) {
      const u = ctl[a]! >>> 0;
      const itemsT = ctl[a + 1]! >>> 0;
      const dim = ctl[a + 3]!;
      const n = ctl[a + 4]!;
      const k = ctl[a + 5]!;
      const exOffsets = ctl[a + 6]! >>> 0;
      const exItems = ctl[a + 7]! >>> 0;
      const outItemsPtr = ctl[a + 8]! >>> 0;
      const outScoresPtr = ctl[a + 9]! >>> 0;
      const numRows = ctl[a + 10]!;
      const block = ctl[a + 11]!;
      // Each part scores `block` users at a time (gemm against the transposed items) into its own scratch
      // rows, then ranks them one by one.
      const scratch = (ctl[a + 2]! >>> 0) + part * block * n * 4;
      const buf = memory.buffer;
      const rows = new Float32Array(buf, scratch, block * n);
      const outItems = new Int32Array(buf, outItemsPtr, numRows * k);
      const outScores = new Float32Array(buf, outScoresPtr, numRows * k);
      const exOff = exOffsets !== 0 ? new Int32Array(buf, exOffsets, numRows + 1) : null;
      const exIt = exOff !== null ? new Int32Array(buf, exItems, exOff[numRows]!) : null;
      if (marks.length < n) marks = new Uint8Array(n);
      if (heapItems.length < k) {
        heapItems = new Int32Array(k);
        heapScores = new Float32Array(k);
      }
      for (let r0 = row0; r0 < row1; r0 += block) {
        const count = Math.min(block, row1 - r0);
        kernels.gemm(u + r0 * dim * 4, dim, 1, itemsT, n, scratch, n, count, n, dim, 0, 0);
        for (let q = 0; q < count; q++) {
          const r = r0 + q;
          if (exOff !== null && exIt !== null) {
            for (let p = exOff[r]!; p < exOff[r + 1]!; p++) {
              const it = exIt[p]!;
              if (it >= 0 && it < n) marks[it] = 1;
            }
          }
          topK(rows, q * n, n, k, marks, outItems, outScores, r * k, heapItems, heapScores);
          if (exOff !== null && exIt !== null) {
            for (let p = exOff[r]!; p < exOff[r + 1]!; p++) {
              const it = exIt[p]!;
              if (it >= 0 && it < n) marks[it] = 0;
            }
          }
        }
      }
    } else {
      throw new Error(`unknown pool job kind ${kind}`);
    }
  };
}

/** `worker_threads` as the worker uses it. */
interface WorkerThreadsLike {
  readonly workerData: {
    readonly memory: SharedMemoryLike;
    readonly module: object;
    readonly part: number;
    readonly layout: PoolLayout;
    readonly jobs: typeof POOL_JOBS;
  };
  readonly parentPort: { postMessage(message: unknown): void } | null;
}
interface WasmInstanceApi {
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

/**
 * A worker's whole life: instantiate the kernels over the shared memory, say ready, then run part `part`
 * of every published job until a stop job. Stringified into the worker's source: self-contained.
 */
export function poolWorkerMain(
  wt: WorkerThreadsLike,
  wasm: WasmInstanceApi,
  makeRunner: typeof createPartRunner,
  topK: typeof topKRow,
): void {
  const { memory, module, part, layout, jobs } = wt.workerData;
  const kernels = new wasm.Instance(module, { env: { memory } }).exports as PoolKernelExports;
  const run = makeRunner(kernels, memory, layout, jobs, topK);
  const ctl = new Int32Array(memory.buffer, 0, layout.words);
  let seen = Atomics.load(ctl, layout.gen);
  wt.parentPort?.postMessage('ready');
  for (;;) {
    while (Atomics.load(ctl, layout.gen) === seen) Atomics.wait(ctl, layout.gen, seen);
    seen = Atomics.load(ctl, layout.gen);
    if (Atomics.load(ctl, layout.kind) === jobs.stop) return;
    if (part < Atomics.load(ctl, layout.parts)) {
      try {
        run(part);
      } catch (err) {
        if (Atomics.compareExchange(ctl, layout.err, 0, part + 1) === 0) {
          const text = String((err as Error)?.stack ?? err).slice(0, layout.errTextMax);
          for (let i = 0; i < text.length; i++) ctl[layout.errText + i] = text.charCodeAt(i);
          Atomics.store(ctl, layout.errLen, text.length);
        }
      }
    }
    Atomics.add(ctl, layout.done, 1);
    Atomics.notify(ctl, layout.done);
  }
}

/** The source of a pool worker (`new Worker(source, { eval: true })`): the functions above, stringified. */
export function poolWorkerSource(): string {
  // Transpilers that keep function names (esbuild's keepNames, as tsx runs it) wrap inner functions in
  // calls to a module-level `__name` helper, which a stringified function leaves behind: define it as identity.
  return (
    'var __name = (fn) => fn;\n' +
    `(${poolWorkerMain.toString()})(require('node:worker_threads'), WebAssembly, ` +
    `(${createPartRunner.toString()}), (${topKRow.toString()}));`
  );
}
