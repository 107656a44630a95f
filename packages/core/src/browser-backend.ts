import * as tf from '@tensorflow/tfjs-core';
// The union package `@tensorflow/tfjs` (Node's backend.ts imports it for its gradients) would add layers,
// converter and data to the page; the gradient registrations alone are what the kernel layer checks for.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { setCurrentBackend, type BackendInfo } from './backend-state.js';
import { BackendUnavailableError } from './errors.js';
import { registerKernelLayer } from './kernels/index.js';

/** Options of {@link initBrowserBackend}. */
export interface BrowserBackendOptions {
  /**
   * URL prefix (ending in `/`) of the folder holding tfjs-backend-wasm's `.wasm` files
   * (`tfjs-backend-wasm.wasm`, `-simd.wasm`, `-threaded-simd.wasm`); the page serves them itself.
   */
  readonly wasmPaths: string;
  /** `wasm` (default, with `cpu` as the fallback when WebAssembly cannot start) or `cpu` only. */
  readonly preference?: 'wasm' | 'cpu';
}

async function activate(name: 'wasm' | 'cpu'): Promise<BackendInfo> {
  const kernelLayer = registerKernelLayer(name);
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
  // The compute pool (Node worker threads) is not started in a page: one thread, the serial kernels.
  return {
    name,
    kernelLayer,
    tfjsVersion: tf.version_core,
    reason: '',
    threads: 1,
    pool: '1 thread (browser)',
  };
}

/**
 * Selects and initialises the compute backend in a browser: tfjs's `wasm` backend with \@ncf's kernel layer (the
 * backend and kernels Node uses without tfjs-node, so scores match the server's), its binaries fetched from
 * `options.wasmPaths`; `cpu` when WebAssembly cannot start (the reason says why). Models created afterwards see
 * it through `requireBackend()`.
 */
export async function initBrowserBackend(options: BrowserBackendOptions): Promise<BackendInfo> {
  const preference = options.preference ?? 'wasm';
  if (preference === 'cpu')
    return setCurrentBackend({ ...(await activate('cpu')), reason: "requested 'cpu'" });
  setWasmPaths(options.wasmPaths);
  try {
    return setCurrentBackend({ ...(await activate('wasm')), reason: 'browser → wasm' });
  } catch (err) {
    if (!(err instanceof BackendUnavailableError)) throw err;
    const info = await activate('cpu');
    return setCurrentBackend({ ...info, reason: `browser: wasm unavailable (${err.message}) → cpu` });
  }
}
