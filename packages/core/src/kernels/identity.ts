import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Identity that shares the input's memory (reference-counted), as tfjs's `cpu` backend does. Stock `wasm`
 * copies: tfjs clones every tensor it saves for the backward pass, so each `gather` from an embedding table
 * copied the whole table every training step (cost ∝ catalog). Tensors are immutable in tfjs, so sharing
 * is safe; \@ncf's optimizer, which writes weights in place, copies a variable first if its memory is shared.
 */
export const identityShared: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  (backend as KernelBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};
