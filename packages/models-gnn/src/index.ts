/**
 * \@ncf/models-gnn — graph neural network recommenders on the user–item bipartite graph: LightGCN
 * (He et al., SIGIR 2020), composed from a graph layer in the style of PyTorch Geometric's `LGConv`
 * (Fey & Lenssen, ICLR 2019 workshop), layer combinations and a propagated-embedding cache. Graphs come from
 * `@ncf/datasets` via `DatasetInfo.graph`.
 */
export * from './check-graph.js';
export * from './csr-matmul.js';
export * from './graph-conv.js';
export * from './layer-combination.js';
export * from './embedding-cache.js';
export * from './propagate.js';
export * from './lightgcn-config.js';
export * from './lightgcn.js';
export * from './dot-scores.js';
export * from './inductive.js';
export * from './ngcf-config.js';
export * from './ngcf.js';
export * from './masked-adjacency.js';
export * from './graph-ncf-config.js';
export * from './graph-ncf.js';
export * from './register-gnn-models.js';
