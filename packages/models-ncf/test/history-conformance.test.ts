import { describeModelConformance, tinyDatasetInfo } from '@ncf/core/testing';
import type { Csr, DatasetInfo, ModelFactory } from '@ncf/core';
import type { TinyData } from '@ncf/core/testing';
import { attentionNcfFactory, contentNcfFactory, registerNcfModels } from '../src/index.js';

// Save → load goes through core's default registry.
registerNcfModels();

/** The tiny data's training histories (implicit: values 1) as the userHistories input. */
function historiesOf(data: TinyData): Csr {
  return {
    numRows: data.numUsers,
    numCols: data.numItems,
    offsets: data.offsets,
    indices: data.userItems,
    values: new Float32Array(data.userItems.length).fill(1),
  };
}

const withHistories =
  (features: boolean) =>
  (data: TinyData): DatasetInfo => ({
    ...tinyDatasetInfo(data, features ? { itemFeatureClusters: 4 } : {}),
    userHistories: historiesOf(data),
  });

const small = { dim: 8, layers: [16, 8], dropout: 0 };
const pairwise = <C extends object>(f: ModelFactory<C>): ModelFactory<object> =>
  ({ ...f, batchKind: 'pairwise' }) as unknown as ModelFactory<object>;

for (const loss of ['bce', 'mse'] as const) {
  describeModelConformance(contentNcfFactory, { config: { ...small, loss }, info: withHistories(true) });
  describeModelConformance(attentionNcfFactory, {
    config: { ...small, loss, attentionDim: 8 },
    info: withHistories(true),
  });
}
// BPR variants consume pairwise batches and read histories from info.userHistories.
describeModelConformance(pairwise(contentNcfFactory), {
  config: { ...small, loss: 'bpr' },
  info: withHistories(true),
});
describeModelConformance(pairwise(attentionNcfFactory), {
  config: { ...small, loss: 'bpr', attentionDim: 8 },
  info: withHistories(true),
});
// Ids instead of features (NAIS's setting: no item features needed), hybrid user ids, cosine attention.
describeModelConformance(attentionNcfFactory, {
  config: { ...small, loss: 'bce', itemInput: 'id', userId: true, attentionDim: 8, beta: 0.5 },
  info: withHistories(false),
});
describeModelConformance(attentionNcfFactory, {
  config: { ...small, loss: 'bce', itemInput: 'both', attention: 'cosine' },
  info: withHistories(true),
});
