/**
 * @ncf/models-gnn — graph neural network recommenders on the user–item bipartite graph: LightGCN
 * (He et al., SIGIR 2020) and its propagation. Graphs come from `@ncf/datasets` via `DatasetInfo.graph`.
 */
export * from './check-graph.js';
export * from './csr-matmul.js';
export * from './graph-conv.js';
export * from './layer-combination.js';
export * from './embedding-cache.js';
export * from './propagate.js';
export * from './lightgcn-config.js';
export * from './lightgcn.js';
export * from './register-gnn-models.js';
