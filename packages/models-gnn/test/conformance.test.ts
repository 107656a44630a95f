import { describeModelConformance } from '@ncf/core/testing';
import { lightgcnFactory } from '../src/index.js';

// The shared suite every @ncf model passes: creation, loss falls under fit(), score/scoreAll agreement,
// save → load, no tensor leak, determinism — on cpu and wasm, with the tiny data's normalised graph; on the
// single-thread path and on a 2-thread compute pool (the propagation products then run on the pool).
for (const threads of [1, 2]) {
  describeModelConformance(lightgcnFactory, { config: { embeddingSize: 16, layers: 2 }, threads });
}
