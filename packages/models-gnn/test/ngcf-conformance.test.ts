import { describeModelConformance } from '@ncf/core/testing';
import { ngcfFactory } from '../src/index.js';

// The shared suite every @ncf model passes, on cpu and wasm, with the tiny data's normalised graph; both
// adjacencies, node dropout on in the second.
describeModelConformance(ngcfFactory, { config: { embeddingSize: 8, layerSizes: [8, 8] } });
describeModelConformance(ngcfFactory, {
  config: { embeddingSize: 8, layerSizes: [8], adjacency: 'code', nodeDropout: 0.1 },
});
