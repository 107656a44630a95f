import { DataError, MissingDataInputError } from '@ncf/core';
import type { DatasetInfo, GraphInfo } from '@ncf/core';

/**
 * Checks that `info.graph` is a well-formed user–item graph for a model of `kind`: a square CSR over
 * `numUsers + numItems` nodes (users first), non-decreasing offsets that cover `indices` and `values`
 * exactly, neighbour ids in range, finite values, and the normalisation the model expects. Cost
 * O(nodes + edges), paid once at model creation.
 *
 * @returns the graph, typed as present.
 * @throws MissingDataInputError when the dataset carries no graph (`@ncf/datasets`' `datasetInfoFor` builds it).
 * @throws DataError naming the field and index of the first malformed entry, or a wrong normalisation.
 */
export function checkGraph(
  info: DatasetInfo,
  kind: string,
  normalization: GraphInfo['normalization'] = 'symmetric',
): GraphInfo {
  const graph = info.graph;
  if (!graph) {
    throw new MissingDataInputError(
      'graph',
      `${kind} needs DatasetInfo.graph (the ${normalization}-normalised user–item graph in CSR form); ` +
        "build the dataset info with @ncf/datasets' datasetInfoFor(factory.dataSpec(config), train)",
    );
  }
  const expectedNodes = info.numUsers + info.numItems;
  if (graph.numRows !== expectedNodes || graph.numCols !== expectedNodes) {
    throw new DataError(
      `graph is ${graph.numRows} × ${graph.numCols}, expected (numUsers + numItems)² = ${expectedNodes} × ${expectedNodes} (${info.numUsers} users + ${info.numItems} items)`,
    );
  }
  if (graph.normalization !== normalization) {
    throw new DataError(
      `${kind} propagates over a ${normalization}-normalised graph, but graph.normalization is ` +
        `${JSON.stringify(graph.normalization)}; build it with graphInfo(train, { normalization: '${normalization}' })`,
    );
  }
  const numNodes = expectedNodes;
  const { offsets, indices: neighbors, values: weights } = graph;
  if (offsets.length !== numNodes + 1) {
    throw new DataError(
      `graph.offsets has ${offsets.length} entries, expected numNodes + 1 = ${numNodes + 1}`,
    );
  }
  if (offsets[0] !== 0) throw new DataError(`graph.offsets[0] is ${offsets[0]}, expected 0`);
  for (let n = 0; n < numNodes; n++) {
    if (offsets[n + 1]! < offsets[n]!) {
      throw new DataError(
        `graph.offsets must be non-decreasing, but offsets[${n + 1}] = ${offsets[n + 1]} < offsets[${n}] = ${offsets[n]}`,
      );
    }
  }
  const edges = offsets[numNodes]!;
  if (neighbors.length !== edges || weights.length !== edges) {
    throw new DataError(
      `graph.offsets ends at ${edges} edges, but graph.indices has ${neighbors.length} and graph.values ${weights.length} entries`,
    );
  }
  for (let e = 0; e < edges; e++) {
    const j = neighbors[e]!;
    if (j < 0 || j >= numNodes) {
      throw new DataError(`graph.indices[${e}] = ${j} is outside [0, ${numNodes})`);
    }
    if (!Number.isFinite(weights[e]!))
      throw new DataError(`graph.values[${e}] = ${weights[e]} is not finite`);
  }
  return graph;
}
