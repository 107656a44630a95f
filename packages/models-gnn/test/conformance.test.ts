import { describeModelConformance } from '@ncf/core/testing';
import { lightgcnFactory } from '../src/index.js';

// The shared suite every @ncf model passes: creation, loss falls under fit(), score/scoreAll agreement,
// save → load, no tensor leak, determinism — on cpu and wasm, with the tiny data's normalised graph.
describeModelConformance(lightgcnFactory, { config: { embeddingSize: 16, layers: 2 } });
