import { ConfigError, requireChoice, requireInt } from '@ncf/core';
import type { GraphInfo, Tensor2D } from '@ncf/core';
import { createLgConv } from './graph-conv.js';
import { combineLayers } from './layer-combination.js';

/**
 * How one propagation layer `E ↦ Â·E` is computed:
 * - `csr`: one differentiable sparse product over the CSR adjacency (see `createSparseOperator`):
 *   O(edges × dim) time, no `edges × dim` intermediate. The default.
 * - `segment-sum`: stock tfjs ops — gather each edge's source row, scale it by the edge weight and
 *   `unsortedSegmentSum` the messages per target node. The textbook message-passing form; it holds an
 *   `edges × dim` message tensor per layer for the backward pass and needs a fast `UnsortedSegmentSum`
 *   kernel (the @ncf kernel layer registers one on `wasm` and `cpu`).
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

/** The propagation methods a config may name. */
export const PROPAGATION_METHODS: readonly PropagationMethod[] = ['csr', 'segment-sum'];

/** Uniform `1/(layers + 1)` or the given weights, checked (ConfigError on field `layers` / `layerWeights`). */
export function resolveLayerWeights(layers: number, layerWeights?: readonly number[] | null): number[] {
  requireInt(layers, 'layers', { min: 0 });
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
 * Recommendation", SIGIR 2020, eq. 3–4): `layers` applications of the graph layer {@link createLgConv}
 * (`E^(k+1) = Â·E^(k)` with the graph's normalised adjacency `Â` (its `values` as given: `@ncf/datasets` builds them
 * symmetric-normalised, `graph.normalization` says so), no feature transform, no non-linearity),
 * then the layer combination `Σ_k α_k E^(k)` ({@link combineLayers}).
 *
 * Differentiable: call it inside a gradient tape and gradients flow to `embeddings`. The caller owns the
 * returned tensor; intermediates are freed. Cost per call: `layers` sparse products, O(layers × edges × dim).
 *
 * @param embeddings `[graph.numRows, dim]` ego embeddings (users first, then items).
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
  const method = requireChoice(options.method ?? 'csr', 'propagation', PROPAGATION_METHODS);
  if (embeddings.rank !== 2 || embeddings.shape[0] !== graph.numRows) {
    throw new ConfigError(
      `propagate expects embeddings of shape [numNodes = ${graph.numRows}, dim], got [${embeddings.shape.join(', ')}]`,
      'embeddings',
    );
  }
  const conv = createLgConv(graph, { method });
  return combineLayers(embeddings, conv, alpha);
}
