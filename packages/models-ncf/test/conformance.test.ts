import { describeModelConformance } from '@ncf/core/testing';
import type { ModelFactory } from '@ncf/core';
import {
  NCF_LOSSES,
  basicNcfFactory,
  gmfFactory,
  mfFactory,
  mlpFactory,
  neumfFactory,
  registerNcfModels,
} from '../src/index.js';

// Save → load goes through core's default registry.
registerNcfModels();

// Every kind × every loss, unpatched: the kit builds the batches and inputs each factory's
// dataSpec(config) declares (bce → implicit pointwise, mse → rating pointwise, bpr → pairwise).
const small: [ModelFactory<object>, object][] = [
  [mfFactory as ModelFactory<object>, { factors: 4 }],
  [gmfFactory as ModelFactory<object>, { factors: 4 }],
  [mlpFactory as ModelFactory<object>, { layers: [16, 8, 4] }],
  [neumfFactory as ModelFactory<object>, { factors: 4, layers: [16, 8, 4] }],
  [basicNcfFactory as ModelFactory<object>, { layers: [16, 8, 4], dropout: 0 }],
];
for (const [factory, config] of small) {
  for (const loss of NCF_LOSSES) {
    // The default loss runs on both JS backends; the others on cpu (the backends share the kernels).
    const backends = loss === (factory.defaults as { loss: string }).loss ? undefined : (['cpu'] as const);
    describeModelConformance(factory, { config: { ...config, loss }, ...(backends ? { backends } : {}) });
  }
}
// Basic NCF reading features on both sides: the spec names userFeatures and itemFeatures.
describeModelConformance(basicNcfFactory, {
  config: { layers: [16, 8, 4], dropout: 0, userInput: 'features', itemInput: 'features' },
  backends: ['cpu'],
});
