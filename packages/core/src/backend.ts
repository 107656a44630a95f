import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// The union package registers tfjs's gradient functions (tfjs-core's Node entry registers none) on the one
// tfjs-core engine; it also brings layers/converter/data, which @ncf does not use (about 0.3 s of import time).
import '@tensorflow/tfjs';
import { BackendUnavailableError, ConfigError, NcfError } from './errors.js';
import { registerKernelLayer } from './kernels/index.js';
import { startComputePool } from './pool/compute-pool.js';

/** Compute backends @ncf can run on. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** What to ask {@link initBackend} for; `auto` picks the fastest that loads and can train. */
export type BackendPreference = 'auto' | BackendName;

/** The backend in use, as reported by {@link initBackend} (the CLI prints it). */
export interface BackendInfo {
  readonly name: BackendName;
  /** Kernels @ncf registered on top of the stock backend (empty for `tensorflow`). */
  readonly kernelLayer: readonly string[];
  /** tfjs-core version. */
  readonly tfjsVersion: string;
  /** How the choice was made, e.g. `auto: tfjs-node not installed → wasm`. */
  readonly reason: string;
  /**
   * Threads of @ncf's compute pool (the main thread included; 1 = single-thread: asked for, or the runtime
   * cannot share memory between threads). See `startComputePool`.
   */
  readonly threads: number;
  /** The pool as set up, e.g. `2 threads (1 worker, shared WebAssembly memory)` or why it is 1 thread. */
  readonly pool: string;
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** Backend to use (default env `NCF_BACKEND`, else `auto`). */
  readonly backend?: BackendPreference;
  /**
   * Threads of the compute pool that runs @ncf's parallel kernels (graph propagation, full ranking);
   * default env `NCF_THREADS`, else the machine's available cores. 1 = the single-thread path.
   */
  readonly threads?: number;
}

const PREFERENCES: readonly BackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];
const TFJS_NODE = '@tensorflow/tfjs-node';
const INSTALL_HINT =
  `install it next to @ncf/core with \`npm install ${TFJS_NODE}@${tf.version_core}\` ` +
  '(its install script downloads libtensorflow, so it needs network access to storage.googleapis.com)';

let current: BackendInfo | undefined;

/** Parses a backend preference (e.g. from env `NCF_BACKEND`), throwing ConfigError on unknown names. */
export function parseBackendPreference(value: string | undefined): BackendPreference {
  if (value === undefined || value === '') return 'auto';
  if ((PREFERENCES as readonly string[]).includes(value)) return value as BackendPreference;
  throw new ConfigError(`unknown backend '${value}'; expected one of ${PREFERENCES.join(', ')}`, 'backend');
}

async function loadTensorflow(): Promise<void> {
  try {
    // A variable specifier: tfjs-node is an optional peer, absent at build time.
    const name = TFJS_NODE;
    await import(name);
  } catch (cause) {
    throw new BackendUnavailableError(
      'tensorflow',
      `backend 'tensorflow' needs ${TFJS_NODE}, which could not be loaded: ${String((cause as Error)?.message ?? cause).split('\n')[0]}; ${INSTALL_HINT}`,
      { cause },
    );
  }
  if (tf.findBackendFactory('tensorflow') === null) {
    throw new BackendUnavailableError(
      'tensorflow',
      `${TFJS_NODE} loaded but registered no 'tensorflow' backend with this copy of tfjs-core ` +
        `(${tf.version_core}): two copies of tfjs-core are installed; align ${TFJS_NODE}'s version with @ncf/core's`,
    );
  }
}

async function activate(name: BackendName): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(name);
  } catch (cause) {
    throw new BackendUnavailableError(name, `backend '${name}' failed to initialise: ${String(cause)}`, {
      cause,
    });
  }
  if (!ok) throw new BackendUnavailableError(name, `backend '${name}' failed to initialise`);
  await tf.ready();
}

async function tryOne(name: BackendName): Promise<Omit<BackendInfo, 'threads' | 'pool'>> {
  if (name === 'tensorflow') await loadTensorflow();
  const kernelLayer = name === 'tensorflow' ? [] : registerKernelLayer(name);
  await activate(name);
  return { name, kernelLayer, tfjsVersion: tf.version_core, reason: '' };
}

/**
 * Selects and initialises the compute backend. `auto` (the default, or env `NCF_BACKEND`) takes
 * `tensorflow` (tfjs-node, native) when it is installed and loads, else `wasm`, else `cpu`; the JS backends
 * get @ncf's kernel layer so they can train embedding models fast. Asking for a specific backend that cannot
 * load throws {@link BackendUnavailableError} saying how to install it; it never silently downgrades.
 *
 * It also starts @ncf's compute pool (`threads`, default env `NCF_THREADS`, else every available core) and
 * reports it in {@link BackendInfo.threads} / {@link BackendInfo.pool}. Accepts the backend name alone or an
 * options object: `initBackend('wasm')`, `initBackend({ backend: 'wasm', threads: 2 })`.
 */
export async function initBackend(
  preference?: BackendPreference | InitBackendOptions,
  options: InitBackendOptions = {},
): Promise<BackendInfo> {
  const opts = typeof preference === 'object' && preference !== null ? preference : options;
  const asked = typeof preference === 'string' ? preference : opts.backend;
  const pref = asked ?? parseBackendPreference(process.env.NCF_BACKEND);
  if (!PREFERENCES.includes(pref)) parseBackendPreference(String(pref));
  const poolInfo = await startComputePool(opts.threads !== undefined ? { threads: opts.threads } : {});
  const pool = { threads: poolInfo.threads, pool: poolInfo.description };
  if (pref !== 'auto') {
    const info = await tryOne(pref);
    current = { ...info, ...pool, reason: `requested '${pref}'` };
    return current;
  }
  const skipped: string[] = [];
  for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
    try {
      const info = await tryOne(name);
      current = {
        ...info,
        ...pool,
        reason: skipped.length ? `auto: ${skipped.join('; ')} → ${name}` : `auto → ${name}`,
      };
      return current;
    } catch (err) {
      if (!(err instanceof BackendUnavailableError)) throw err;
      skipped.push(
        `${name} unavailable (${name === 'tensorflow' ? `${TFJS_NODE} not installed` : err.message})`,
      );
    }
  }
  throw new BackendUnavailableError('auto', `no backend could be initialised: ${skipped.join('; ')}`);
}

/** The backend chosen by the last {@link initBackend}, or undefined before it. */
export function currentBackend(): BackendInfo | undefined {
  return current && tf.getBackend() === current.name ? current : undefined;
}

/** Throws unless {@link initBackend} has run; models call it before creating tensors. */
export function requireBackend(): BackendInfo {
  const info = currentBackend();
  if (!info) {
    throw new NcfError(
      'BACKEND_NOT_INITIALISED',
      'no @ncf backend is initialised: call `await initBackend()` from @ncf/core before creating or loading models',
    );
  }
  return info;
}
