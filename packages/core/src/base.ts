/**
 * The tensor-free part of @ncf/core: typed errors, seeded RNG, batch and dataset-info types. Packages that
 * never touch tensors (@ncf/datasets, @ncf/eval, @ncf/movielens) import from `@ncf/core/base`, so loading them
 * does not load TensorFlow.js. Also the tensor-free algorithms shared by packages: top-K selection and fold-in.
 */
export * from './errors.js';
export * from './rng.js';
export * from './batch.js';
export * from './dataset-info.js';
export * from './top-k.js';
export * from './item-factors.js';
export * from './fold-in.js';
