/**
 * The tensor-free part of @ncf/core: typed errors, seeded RNG, batch and dataset-info types. Packages that
 * never touch tensors (@ncf/datasets, @ncf/eval, @ncf/movielens) import from `@ncf/core/base`, so loading them
 */
export * from './errors.js';
export * from './rng.js';
export * from './batch.js';
export * from './dataset-info.js';
export * from './top-k.js';
