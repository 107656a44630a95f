export * from './initializers.js';
export * from './model-variable.js';
export * from './embedding.js';
export * from './dense.js';
export * from './dropout.js';
