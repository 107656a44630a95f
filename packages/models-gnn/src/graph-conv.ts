import { tf } from '@ncf/core';
import type { GraphInfo, Tensor2D } from '@ncf/core';
import { createSparseOperator, graphMatrix } from './csr-matmul.js';
import type { SparseOperator, WeightedCsr } from './csr-matmul.js';
import type { PropagationMethod } from './propagate.js';

/**
 * One message-passing layer over a fixed graph, in the style of PyTorch Geometric's `MessagePassing`
 * (Fey & Lenssen, "Fast Graph Representation Learning with PyTorch Geometric", ICLR 2019 workshop): node
 * features `[numNodes, dim]` in, aggregated neighbour messages `[numNodes, dim]` out, differentiable. Graph
 * models compose such layers (LightGCN: `L` of them, then a layer combination); the operator over the graph is
 * built once per graph and shared by every layer and model that uses it.
 */
export interface GraphConv {
  /** Rows (nodes) of the inputs and outputs. */
  readonly numNodes: number;
  /** How the sparse product is computed. */
  readonly method: PropagationMethod;
  /** The layer's output for node features `x` (`[numNodes, dim]`); the caller owns the result. */
  apply(x: Tensor2D): Tensor2D;
}

/** Options of {@link createLgConv}. */
export interface LgConvOptions {
  /** Default `csr`. */
  readonly method?: PropagationMethod;
}

/** The graph's CSR view and its lazily built, cached operators (one entry per graph object). */
interface GraphOperators {
  readonly matrix: WeightedCsr;
  csr?: SparseOperator;
  /** Target row of every CSR entry (segment ids of the segment-sum form). */
  edgeRows?: Int32Array;
}

const cache = new WeakMap<GraphInfo, GraphOperators>();

function operatorsOf(graph: GraphInfo): GraphOperators {
  let ops = cache.get(graph);
  if (ops === undefined) {
    ops = { matrix: graphMatrix(graph) };
    cache.set(graph, ops);
  }
  return ops;
}

/**
 * The cached differentiable `x ↦ Â·x` of `graph` (`createSparseOperator` over its CSR, transpose included):
 * built at the first call for a graph object, reused by every layer, model and call after it.
 */
export function graphOperator(graph: GraphInfo): SparseOperator {
  const ops = operatorsOf(graph);
  ops.csr ??= createSparseOperator(ops.matrix);
  return ops.csr;
}

/** Row of every CSR entry: row `r` repeated `offsets[r+1] − offsets[r]` times (cached per graph). */
function edgeRowsOf(ops: GraphOperators): Int32Array {
  if (ops.edgeRows === undefined) {
    const m = ops.matrix;
    const rows = new Int32Array(m.indices.length);
    for (let r = 0; r < m.numRows; r++) rows.fill(r, m.offsets[r]!, m.offsets[r + 1]!);
    ops.edgeRows = rows;
  }
  return ops.edgeRows;
}

/** `out[r] = Σ_{e ∈ row r} w_e · x[indices[e]]` by gather + scale + unsortedSegmentSum (stock tfjs ops). */
function segmentSum(ops: GraphOperators, x: Tensor2D): Tensor2D {
  const m = ops.matrix;
  return tf.tidy(() => {
    const neighbors = tf.tensor1d(m.indices, 'int32');
    const weights = tf.tensor2d(m.values, [m.values.length, 1]);
    const rows = tf.tensor1d(edgeRowsOf(ops), 'int32');
    const messages = tf.mul(tf.gather(x, neighbors), weights);
    return tf.unsortedSegmentSum(messages, rows, m.numRows) as Tensor2D;
  });
}

/**
 * LightGCN's graph convolution, PyG's `LGConv`: `E ↦ Â·E` with the graph's normalised adjacency `Â` (for
 * `@ncf/datasets` graphs the symmetric `D^-1/2 A D^-1/2`), no feature transform, no non-linearity, no self
 * loop (He et al., "LightGCN: Simplifying and Powering Graph Convolution Network for Recommendation",
 * SIGIR 2020, eq. 3). The layer holds no tensors; its operator is cached per graph ({@link graphOperator}).
 *
 * - `csr` (default): one differentiable sparse × dense product, O(edges × dim), no `edges × dim` intermediate.
 * - `segment-sum`: the textbook message-passing form — gather each edge's source row, scale it by the edge
 *   weight, `unsortedSegmentSum` per target node; holds an `edges × dim` message tensor for the backward pass.
 */
export function createLgConv(graph: GraphInfo, options: LgConvOptions = {}): GraphConv {
  const method = options.method ?? 'csr';
  const ops = operatorsOf(graph);
  const numNodes = ops.matrix.numRows;
  if (method === 'csr') {
    const op = graphOperator(graph);
    return { numNodes, method, apply: (x) => op(x) };
  }
  return { numNodes, method, apply: (x) => segmentSum(ops, x) };
}
