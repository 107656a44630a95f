import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { transposeThenMatMul } from './batch-mat-mul.js';
import { batchMatMulSimd, fusedMatMulSimd } from './mat-mul-simd.js';
import { binaryFast } from './binary.js';
import { concatFast } from './concat.js';
import { DENSE_STACK, DENSE_STACK_GRAD, denseStackBackward, denseStackForward } from './dense-stack.js';
import { gatherV2Fast } from './gather-v2.js';
import { identityShared } from './identity.js';
import { batchMatMulJs, fusedMatMulJs } from './mat-mul.js';
import {
  SIGMOID_CROSS_ENTROPY,
  SIGMOID_CROSS_ENTROPY_GRAD,
  sigmoidCrossEntropyBackward,
  sigmoidCrossEntropyForward,
} from './sigmoid-cross-entropy.js';
import { ROW_DOT, ROW_DOT_GRAD, rowDotBackward, rowDotForward } from './row-dot.js';
import { GATHER_ROWS, SCATTER_ADD_ROWS, gatherRows, scatterAddRows } from './rows.js';
import { PAIR_LOGITS, PAIR_LOGITS_GRAD, pairLogitsBackward, pairLogitsForward } from './pair-logits.js';
import {
  SEGMENT_SOFTMAX,
  SEGMENT_SOFTMAX_GRAD,
  SEGMENT_WEIGHTED_SUM,
  SEGMENT_WEIGHTED_SUM_GRAD,
  segmentSoftmaxBackward,
  segmentSoftmaxForward,
  segmentWeightedSumBackward,
  segmentWeightedSumForward,
} from './segment.js';
import { splitVFast } from './split-v.js';
import { sumFast } from './sum.js';
import { transposeFast } from './transpose.js';
import { unsortedSegmentSum } from './unsorted-segment-sum.js';
import { NcfError } from '../errors.js';

/**
 * The kernel layer: fast JavaScript implementations of kernels that are missing or slow in tfjs's `wasm`
 * and `cpu` backends, registered by `initBackend()` (never for `tensorflow`). Each kernel reads and writes
 * the backend's memory directly (see `memory.ts`) and falls back to the stock kernel for cases it does not
 * handle (other dtypes, batched gathers).
 */

type Backend = 'wasm' | 'cpu';

interface LayerKernel {
  readonly name: string;
  readonly backends: readonly Backend[];
  /** Builds the kernel from the stock one (undefined when the backend lacks it). */
  make(stock: KernelConfig | undefined, backend: Backend): KernelFunc | undefined;
}

function withFallback(
  name: string,
  fast: (args: Parameters<KernelFunc>[0]) => TensorInfo | TensorInfo[] | undefined,
  stock: KernelConfig | undefined,
): KernelFunc {
  return (args) => {
    const out = fast(args);
    if (out !== undefined) return out;
    if (stock === undefined)
      throw new Error(`@ncf kernel layer: ${name} case not supported and no stock kernel`);
    return stock.kernelFunc(args);
  };
}

const KERNELS: readonly LayerKernel[] = [
  { name: GATHER_ROWS, backends: ['wasm', 'cpu'], make: () => gatherRows },
  { name: SCATTER_ADD_ROWS, backends: ['wasm', 'cpu'], make: () => scatterAddRows },
  { name: DENSE_STACK, backends: ['wasm', 'cpu'], make: () => denseStackForward },
  { name: DENSE_STACK_GRAD, backends: ['wasm', 'cpu'], make: () => denseStackBackward },
  // cpu only: on wasm the native Multiply and Sum kernels beat a JavaScript loop (see row-dot.ts).
  { name: ROW_DOT, backends: ['cpu'], make: () => rowDotForward },
  { name: ROW_DOT_GRAD, backends: ['cpu'], make: () => rowDotBackward },
  { name: SEGMENT_SOFTMAX, backends: ['wasm', 'cpu'], make: () => segmentSoftmaxForward },
  { name: SEGMENT_SOFTMAX_GRAD, backends: ['wasm', 'cpu'], make: () => segmentSoftmaxBackward },
  { name: SEGMENT_WEIGHTED_SUM, backends: ['wasm', 'cpu'], make: () => segmentWeightedSumForward },
  { name: SEGMENT_WEIGHTED_SUM_GRAD, backends: ['wasm', 'cpu'], make: () => segmentWeightedSumBackward },
  { name: PAIR_LOGITS, backends: ['wasm', 'cpu'], make: () => pairLogitsForward },
  { name: PAIR_LOGITS_GRAD, backends: ['wasm', 'cpu'], make: () => pairLogitsBackward },
  { name: SIGMOID_CROSS_ENTROPY, backends: ['wasm', 'cpu'], make: () => sigmoidCrossEntropyForward },
  {
    name: SIGMOID_CROSS_ENTROPY_GRAD,
    backends: ['wasm', 'cpu'],
    make: () => sigmoidCrossEntropyBackward,
  },
  {
    name: 'Identity',
    backends: ['wasm'],
    make: (stock) =>
      withFallback(
        'Identity',
        (a) =>
          (a.inputs.x as TensorInfo).dtype === 'string' ? undefined : (identityShared(a) as TensorInfo),
        stock,
      ),
  },
  { name: 'UnsortedSegmentSum', backends: ['wasm', 'cpu'], make: () => unsortedSegmentSum },
  {
    name: 'GatherV2',
    backends: ['wasm', 'cpu'],
    make: (stock) => withFallback('GatherV2', gatherV2Fast, stock),
  },
  { name: 'Concat', backends: ['wasm', 'cpu'], make: (stock) => withFallback('Concat', concatFast, stock) },
  { name: 'SplitV', backends: ['wasm', 'cpu'], make: (stock) => withFallback('SplitV', splitVFast, stock) },
  {
    name: 'BatchMatMul',
    backends: ['cpu'],
    make: (stock) => withFallback('BatchMatMul', (a) => batchMatMulSimd(a) ?? batchMatMulJs(a), stock),
  },
  {
    name: '_FusedMatMul',
    backends: ['cpu'],
    make: (stock) => withFallback('_FusedMatMul', (a) => fusedMatMulSimd(a) ?? fusedMatMulJs(a), stock),
  },
  { name: 'Add', backends: ['cpu'], make: (stock) => withFallback('Add', binaryFast('add'), stock) },
  { name: 'Sub', backends: ['cpu'], make: (stock) => withFallback('Sub', binaryFast('sub'), stock) },
  {
    name: 'Multiply',
    backends: ['cpu'],
    make: (stock) => withFallback('Multiply', binaryFast('mul'), stock),
  },
  { name: 'Transpose', backends: ['cpu'], make: (stock) => withFallback('Transpose', transposeFast, stock) },
  {
    name: 'Sum',
    backends: ['wasm', 'cpu'],
    make: (stock, backend) => withFallback('Sum', (a) => sumFast(a, backend === 'cpu'), stock),
  },
  {
    name: 'BatchMatMul',
    backends: ['wasm'],
    make: (stock, backend) => {
      const transpose = tf.getKernel('Transpose', backend);
      if (stock === undefined || transpose === undefined) return undefined;
      // The SIMD gemm first; where it defers (or without SIMD), transpose-then-XNNPACK.
      const next = transposeThenMatMul(stock.kernelFunc, transpose.kernelFunc);
      return (args) => batchMatMulSimd(args) ?? next(args);
    },
  },
  {
    name: '_FusedMatMul',
    backends: ['wasm'],
    make: (stock) => withFallback('_FusedMatMul', fusedMatMulSimd, stock),
  },
];

const registered = new Map<Backend, string[]>();
const stockKernels = new Map<string, KernelConfig | undefined>();

/** Registers the kernel layer for `backend`; returns the names of the kernels registered. Idempotent. */
export function registerKernelLayer(backend: Backend): string[] {
  ensureGradients();
  const done = registered.get(backend);
  if (done !== undefined) return done.slice();
  const names: string[] = [];
  // Debugging aid: NCF_KERNEL_LAYER_DISABLE=Name1,Name2 keeps those stock kernels.
  // `globalThis.process`: absent in browsers, where nothing is disabled.
  const disabled = new Set(
    (globalThis.process?.env?.NCF_KERNEL_LAYER_DISABLE ?? '').split(',').filter(Boolean),
  );
  for (const k of KERNELS) {
    if (!k.backends.includes(backend) || disabled.has(k.name)) continue;
    const stock = tf.getKernel(k.name, backend);
    const func = k.make(stock, backend);
    if (func === undefined) continue;
    stockKernels.set(`${backend}/${k.name}`, stock);
    if (stock !== undefined) tf.unregisterKernel(k.name, backend);
    const config: KernelConfig = { kernelName: k.name, backendName: backend, kernelFunc: func };
    // Keep the stock setup (wasm kernels bind their native functions in it); our wrappers call the stock func.
    if (stock?.setupFunc !== undefined) config.setupFunc = stock.setupFunc;
    if (stock?.disposeFunc !== undefined) config.disposeFunc = stock.disposeFunc;
    tf.registerKernel(config);
    names.push(k.name);
  }
  registered.set(backend, names);
  return names.slice();
}

/** Whether every kernel in `names` is registered for the active backend (the fused ops' forward/backward pairs). */
export function kernelsRegistered(...names: string[]): boolean {
  const backend = tf.getBackend();
  return names.every((n) => tf.getKernel(n, backend) !== undefined);
}

/** The stock tfjs kernel that the layer replaced (for tests comparing against the reference). */
export function stockKernel(backend: Backend, name: string): KernelConfig | undefined {
  return stockKernels.get(`${backend}/${name}`);
}

let gradientsChecked = false;

/**
 * Checks that tfjs's gradient functions are registered. `@tensorflow/tfjs-core`'s Node entry registers none;
 * `gradients/tfjs-gradients.ts` (tfjs-core's own configs, imported by `backend.ts`) registers them on the
 * one tfjs-core engine. Missing gradients mean a second copy of tfjs-core was loaded, which is reported here
 * rather than as a failed training step. Idempotent. Called by {@link registerKernelLayer}.
 */
export function ensureGradients(): void {
  if (gradientsChecked) return;
  for (const kernel of ['Multiply', 'BatchMatMul', 'GatherV2', 'Sigmoid']) {
    if (tf.getGradient(kernel) === undefined) {
      throw new NcfError(
        'GRADIENTS_MISSING',
        `tfjs has no gradient for '${kernel}': @ncf/core registered its gradients on another copy of ` +
          '@tensorflow/tfjs-core; install one version of @tensorflow/tfjs-core (the one @ncf/core names as its peer)',
      );
    }
  }
  gradientsChecked = true;
}
