import { ConfigError, tf } from '@ncf/core';
import type { GraphInfo, Tensor1D, Tensor2D } from '@ncf/core';
import { createSparseOperator, graphMatrix } from './csr-matmul.js';
import type { SparseOperator } from './csr-matmul.js';

/**
 * How one propagation layer `E ↦ Â·E` is computed:
 * - `csr`: one differentiable sparse product over the CSR adjacency (see `createSparseOperator`):
 *   O(edges × dim) time, no `edges × dim` intermediate. The default.
 * - `segment-sum`: stock tfjs ops — gather each edge's source row, scale it by the edge weight and
 *   `unsortedSegmentSum` the messages per target node. The textbook message-passing form; it holds an
 *   `edges × dim` message tensor per layer for the backward pass and needs a fast `UnsortedSegmentSum`
 *   kernel (the \@ncf kernel layer registers one on `wasm` and `cpu`).
 */
export type PropagationMethod = 'csr' | 'segment-sum';

/** Options of {@link propagate}. */
export interface PropagateOptions {
  /**
   * Weight `α_k` of layer `k = 0..layers` in the combination `Σ_k α_k E^(k)`; defaults to LightGCN's
   * uniform `1/(layers + 1)`. Must have `layers + 1` entries.
   */
  readonly layerWeights?: readonly number[] | null;
  /** Default `csr`. */
  readonly method?: PropagationMethod;
}

const operators = new WeakMap<GraphInfo, SparseOperator>();

/** The cached differentiable `x ↦ Â·x` of `graph` (built once per graph object). */
function sparseOperator(graph: GraphInfo): SparseOperator {
  let op = operators.get(graph);
  if (!op) {
    op = createSparseOperator(graphMatrix(graph));
    operators.set(graph, op);
  }
  return op;
}

/** Source node of every CSR entry: row `n` repeated `offsets[n+1] - offsets[n]` times. */
function edgeRows(graph: GraphInfo): Int32Array {
  const rows = new Int32Array(graph.neighbors.length);
  for (let n = 0; n < graph.numNodes; n++) rows.fill(n, graph.offsets[n]!, graph.offsets[n + 1]!);
  return rows;
}

/** One layer by gather + scale + segment-sum: `out[n] = Σ_{e ∈ row n} w_e · x[neighbors[e]]`. */
function segmentSumLayer(
  x: Tensor2D,
  neighbors: Tensor1D,
  weights: Tensor2D,
  rows: Tensor1D,
  numNodes: number,
): Tensor2D {
  const messages = tf.mul(tf.gather(x, neighbors), weights);
  return tf.unsortedSegmentSum(messages, rows, numNodes) as Tensor2D;
}

/** Uniform `1/(layers + 1)` or the given weights, checked. */
export function resolveLayerWeights(layers: number, layerWeights?: readonly number[] | null): number[] {
  if (!Number.isInteger(layers) || layers < 0) {
    throw new ConfigError(`layers must be a non-negative integer, got ${layers}`, 'layers');
  }
  if (layerWeights == null) return new Array<number>(layers + 1).fill(1 / (layers + 1));
  if (layerWeights.length !== layers + 1) {
    throw new ConfigError(
      `layerWeights needs layers + 1 = ${layers + 1} entries (layer 0 is the ego embedding), got ${layerWeights.length}`,
      'layerWeights',
    );
  }
  layerWeights.forEach((w, k) => {
    if (!Number.isFinite(w)) throw new ConfigError(`layerWeights[${k}] = ${w} is not finite`, 'layerWeights');
  });
  return [...layerWeights];
}

/**
 * LightGCN propagation (He et al., "LightGCN: Simplifying and Powering Graph Convolution Network for
 * Recommendation", SIGIR 2020, eq. 3–4): `E^(k+1) = Â·E^(k)` with the symmetric-normalised adjacency
 * `Â = D^-1/2 A D^-1/2` of `graph` (weights already normalised by `@ncf/datasets`), no feature transform and
 * no non-linearity, then the layer combination `Σ_k α_k E^(k)`.
 *
 * Differentiable: call it inside a gradient tape and gradients flow to `embeddings`. The caller owns the
 * returned tensor; intermediates are freed. Cost per call: `layers` sparse products, O(layers × edges × dim).
 *
 * @param embeddings `[graph.numNodes, dim]` ego embeddings (users first, then items).
 * @param graph the CSR graph from `DatasetInfo.graph`.
 * @param layers number of propagation layers `L` (0 returns `α_0 · E`).
 */
export function propagate(
  embeddings: Tensor2D,
  graph: GraphInfo,
  layers: number,
  options: PropagateOptions = {},
): Tensor2D {
  const alpha = resolveLayerWeights(layers, options.layerWeights);
  const method = options.method ?? 'csr';
  if (method !== 'csr' && method !== 'segment-sum') {
    throw new ConfigError(
      `unknown propagation method '${String(method)}'; expected 'csr' or 'segment-sum'`,
      'propagation',
    );
  }
  if (embeddings.rank !== 2 || embeddings.shape[0] !== graph.numNodes) {
    throw new ConfigError(
      `propagate expects embeddings of shape [numNodes = ${graph.numNodes}, dim], got [${embeddings.shape.join(', ')}]`,
      'embeddings',
    );
  }
  return tf.tidy(() => {
    let layer: (x: Tensor2D) => Tensor2D;
    if (method === 'csr') {
      layer = sparseOperator(graph);
    } else {
      const neighbors = tf.tensor1d(graph.neighbors, 'int32');
      const weights = tf.tensor2d(graph.weights, [graph.weights.length, 1]);
      const rows = tf.tensor1d(edgeRows(graph), 'int32');
      layer = (x) => segmentSumLayer(x, neighbors, weights, rows, graph.numNodes);
    }
    let h: Tensor2D = embeddings;
    let acc: Tensor2D = tf.mul(embeddings, alpha[0]!);
    for (let k = 1; k <= layers; k++) {
      h = layer(h);
      acc = tf.add(acc, tf.mul(h, alpha[k]!));
    }
    return acc;
  });
}
