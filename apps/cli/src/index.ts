export * from './cli-io.js';
export * from './program.js';
export * from './report-error.js';
export * from './global-options.js';
export * from './option-values.js';
