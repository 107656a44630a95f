export * from './id-map.js';
export * from './interactions.js';
export * from './from-arrow.js';
export * from './parse-report.js';
export * from './delimited.js';
export * from './user-items-csr.js';
export * from './dataset-info.js';
