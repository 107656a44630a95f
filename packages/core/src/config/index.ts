export * from './validate.js';
export * from './resolve-config.js';
export * from './define-model-factory.js';
