import { describeModelConformance } from '@ncf/core/testing';
import { attentionNcfFactory, contentNcfFactory, registerNcfModels } from '../src/index.js';

// Save → load goes through core's default registry. The kit builds the tiny dataset info (item features,
// user histories) and the batches (user-history for mse/bce, pairwise for bpr) from each config's data spec.
registerNcfModels();

const small = { dim: 8, layers: [16, 8], dropout: 0 };

for (const loss of ['bce', 'mse', 'bpr'] as const) {
  describeModelConformance(contentNcfFactory, { config: { ...small, loss } });
  describeModelConformance(attentionNcfFactory, { config: { ...small, loss, attentionDim: 8 } });
}
// Ids instead of features (NAIS's setting: no item features needed), hybrid user ids, β < 1, cosine attention.
describeModelConformance(attentionNcfFactory, {
  config: { ...small, loss: 'bce', itemInput: 'id', userId: true, attentionDim: 8, beta: 0.5 },
});
describeModelConformance(attentionNcfFactory, {
  config: { ...small, loss: 'bce', itemInput: 'both', attention: 'cosine' },
});
