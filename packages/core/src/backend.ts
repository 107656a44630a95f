import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node entry registers no gradients; this module registers tfjs-core's own gradient configs on
// the same tfjs-core (generated from it, see scripts/gradients-bundler.mjs), without the `@tensorflow/tfjs`
// bundle (layers, converter, data, webgl: about 230 MB installed and 0.5 s of import time @ncf never used).
import './gradients/tfjs-gradients.js';
import { BackendUnavailableError, ConfigError } from './errors.js';
import { registerKernelLayer } from './kernels/index.js';
import { startComputePool } from './pool/compute-pool.js';

import {
  setCurrentBackend,
  type BackendInfo,
  type BackendName,
  type BackendPreference,
} from './backend-state.js';

export * from './backend-state.js';

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** Backend to use (default env `NCF_BACKEND`, else `auto`). */
  readonly backend?: BackendPreference;
  /**
   * Threads of the compute pool that runs \@ncf's parallel kernels (graph propagation, full ranking);
   * default env `NCF_THREADS`, else the machine's available cores. 1 = the single-thread path.
   */
  readonly threads?: number;
}

const PREFERENCES: readonly BackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];
const TFJS_NODE = '@tensorflow/tfjs-node';
const INSTALL_HINT =
  `install it next to @ncf/core with \`npm install ${TFJS_NODE}@${tf.version_core}\` ` +
  '(its install script downloads libtensorflow, so it needs network access to storage.googleapis.com)';

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

const JS_BACKENDS = {
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
} as const;

/**
 * Loads a JavaScript backend on first use rather than with \@ncf/core: each costs 0.2–0.4 s of import time
 * and a program runs on one of them.
 */
async function loadJsBackend(name: 'wasm' | 'cpu'): Promise<void> {
  try {
    if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    else await import('@tensorflow/tfjs-backend-cpu');
  } catch (cause) {
    throw new BackendUnavailableError(
      name,
      `backend '${name}' needs ${JS_BACKENDS[name]}, which could not be loaded: ` +
        `${String((cause as Error)?.message ?? cause).split('\n')[0]}; install it next to @ncf/core with ` +
        `\`npm install ${JS_BACKENDS[name]}@${tf.version_core}\``,
      { cause },
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
  else await loadJsBackend(name);
  const kernelLayer = name === 'tensorflow' ? [] : registerKernelLayer(name);
  await activate(name);
  return { name, kernelLayer, tfjsVersion: tf.version_core, reason: '' };
}

/**
 * Selects and initialises the compute backend. `auto` (the default, or env `NCF_BACKEND`) takes
 * `tensorflow` (tfjs-node, native) when it is installed and loads, else `wasm`, else `cpu`; the JS backends
 * get \@ncf's kernel layer so they can train embedding models fast. Asking for a specific backend that cannot
 * load throws {@link BackendUnavailableError} saying how to install it; it never silently downgrades.
 *
 * It also starts \@ncf's compute pool (`threads`, default env `NCF_THREADS`, else every available core) and
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
    return setCurrentBackend({ ...info, ...pool, reason: `requested '${pref}'` });
  }
  const skipped: string[] = [];
  for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
    try {
      const info = await tryOne(name);
      return setCurrentBackend({
        ...info,
        ...pool,
        reason: skipped.length ? `auto: ${skipped.join('; ')} → ${name}` : `auto → ${name}`,
      });
    } catch (err) {
      if (!(err instanceof BackendUnavailableError)) throw err;
      skipped.push(
        `${name} unavailable (${name === 'tensorflow' ? `${TFJS_NODE} not installed` : err.message})`,
      );
    }
  }
  throw new BackendUnavailableError('auto', `no backend could be initialised: ${skipped.join('; ')}`);
}
