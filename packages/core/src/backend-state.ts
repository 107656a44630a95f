import * as tf from '@tensorflow/tfjs-core';
import { NcfError } from './errors.js';

/** Compute backends \@ncf can run on. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** What to ask `initBackend` for; `auto` picks the fastest that loads and can train. */
export type BackendPreference = 'auto' | BackendName;

/** The backend in use, as reported by `initBackend` (the CLI prints it). */
export interface BackendInfo {
  readonly name: BackendName;
  /** Kernels \@ncf registered on top of the stock backend (empty for `tensorflow`). */
  readonly kernelLayer: readonly string[];
  /** tfjs-core version. */
  readonly tfjsVersion: string;
  /** How the choice was made, e.g. `auto: tfjs-node not installed → wasm`. */
  readonly reason: string;
  /**
   * Threads of \@ncf's compute pool (the main thread included; 1 = single-thread: asked for, or the runtime
   * cannot share memory between threads). See `startComputePool`.
   */
  readonly threads: number;
  /** The pool as set up, e.g. `2 threads (1 worker, shared WebAssembly memory)` or why it is 1 thread. */
  readonly pool: string;
}

let current: BackendInfo | undefined;

/** Records the backend an initialiser activated (Node's `initBackend` or the browser's `initBrowserBackend`). */
export function setCurrentBackend(info: BackendInfo): BackendInfo {
  current = info;
  return info;
}

/** The backend chosen by the last `initBackend` (or `initBrowserBackend`), or undefined before it. */
export function currentBackend(): BackendInfo | undefined {
  return current && tf.getBackend() === current.name ? current : undefined;
}

/** Throws unless `initBackend` (or `initBrowserBackend`) has run; models call it before creating tensors. */
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
