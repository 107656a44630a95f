import { describeModelConformance } from '@ncf/core/testing';
import type { ModelFactory } from '@ncf/core';
import {
  basicNcfFactory,
  gmfFactory,
  mfFactory,
  mlpFactory,
  neumfFactory,
  registerNcfModels,
} from '../src/index.js';

// Save → load goes through core's default registry.
registerNcfModels();

describeModelConformance(mfFactory, { config: { factors: 4 } });
describeModelConformance(gmfFactory, { config: { factors: 4 } });
describeModelConformance(mlpFactory, { config: { layers: [16, 8, 4] } });
describeModelConformance(neumfFactory, { config: { factors: 4, layers: [16, 8, 4] } });
describeModelConformance(basicNcfFactory, { config: { layers: [16, 8, 4], dropout: 0 } });
// The pairwise (BPR) variant consumes pairwise batches.
describeModelConformance({ ...neumfFactory, batchKind: 'pairwise' } as ModelFactory<object>, {
  config: { factors: 4, layers: [16, 8, 4], loss: 'bpr' },
});
