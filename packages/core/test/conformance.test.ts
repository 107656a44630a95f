import { describeModelConformance, referenceMfFactory } from '../src/testing/index.js';

// The conformance suite itself, proven on the reference dot-product MF on both JS backends.
describeModelConformance(referenceMfFactory, { backends: ['cpu', 'wasm'] });
