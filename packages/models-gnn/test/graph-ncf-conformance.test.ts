import { describeModelConformance } from '@ncf/core/testing';
import type { TinyData } from '@ncf/core/testing';
import type { DataSpec, DatasetInfo } from '@ncf/core';
import { datasetInfoFor, interactionsFromArrays } from '@ncf/datasets';
import { graphNcfFactory } from '../src/index.js';

/** The tiny data's info with Graph NCF's centred graph, built by @ncf/datasets as the CLI builds it. */
function info(data: TinyData, spec: DataSpec): DatasetInfo {
  const train = interactionsFromArrays(
    { users: data.users, items: data.items, ratings: data.ratings },
    { numUsers: data.numUsers, numItems: data.numItems },
  );
  return datasetInfoFor(spec, train, { ratingRange: [1, 5] });
}

// The shared suite, on cpu and wasm: pointwise rating batches for MSE, pairwise triples for BPR (the kit's
// sources for the spec), the centred graph from the tiny data's planted ratings.
describeModelConformance(graphNcfFactory, { config: { embeddingSize: 8, mlpLayers: [8] }, info });
// BPR with target masking: each triple's positive edge is removed from the graph it is scored on, so on the
// tiny data the loss falls more slowly (0.706 → 0.658 over the kit's 6 epochs, 7 %) than the kit's default 10 %.
describeModelConformance(graphNcfFactory, {
  config: { embeddingSize: 8, head: 'dot', loss: 'bpr', mlpLayers: [8] },
  info,
  lossDrop: 0.05,
});
