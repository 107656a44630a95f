/**
 * The tensor-free part of @ncf/core: typed errors, seeded RNG, batch, CSR, dataset-info and data-spec types,
 * config validation helpers, and the tensor-free algorithms shared by packages (top-K selection, fold-in).
 * Packages that never touch tensors (@ncf/datasets, @ncf/eval, @ncf/movielens) import from `@ncf/core/base`,
 * so loading them does not load TensorFlow.js.
 */
export * from './errors.js';
export * from './rng.js';
export * from './batch.js';
export * from './csr.js';
export * from './dataset-info.js';
export * from './config/validate.js';
export * from './config/resolve-config.js';
export * from './top-k.js';
export * from './item-factors.js';
export * from './fold-in.js';
export * from './data-spec.js';
