/**
 * `@ncf/core/testing`: the model conformance suite, tiny generated batch sources and the reference MF.
 * Needs vitest (an optional peer of @ncf/core).
 */
export * from './conformance.js';
export * from './tiny-data.js';
export * from './reference-mf.js';
export * from './tiny-spec.js';
