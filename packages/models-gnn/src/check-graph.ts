import { ConfigError, DataError } from '@ncf/core';
import type { DatasetInfo, GraphInfo } from '@ncf/core';

/**
 * Checks that `info.graph` is a well-formed user–item graph for a model of `kind`: CSR over
 * `numUsers + numItems` nodes (users first), non-decreasing offsets that cover `neighbors` and `weights`
 * exactly, neighbour ids in range and finite weights. Cost O(nodes + edges), paid once at model creation.
 *
 * @returns the graph, typed as present.
 * @throws ConfigError when the dataset carries no graph (graph models need `@ncf/datasets` to build it).
 * @throws DataError naming the field and index of the first malformed entry.
 */
export function checkGraph(info: DatasetInfo, kind: string): GraphInfo {
  const graph = info.graph;
  if (!graph) {
    throw new ConfigError(
      `${kind} needs DatasetInfo.graph (the normalised user–item graph in CSR form); ` +
        'build the dataset info with its graph through @ncf/datasets',
      'graph',
    );
  }
  const expectedNodes = info.numUsers + info.numItems;
  if (graph.numNodes !== expectedNodes) {
    throw new DataError(
      `graph.numNodes is ${graph.numNodes}, expected numUsers + numItems = ${info.numUsers} + ${info.numItems} = ${expectedNodes}`,
    );
  }
  const { offsets, neighbors, weights } = graph;
  if (offsets.length !== graph.numNodes + 1) {
    throw new DataError(
      `graph.offsets has ${offsets.length} entries, expected numNodes + 1 = ${graph.numNodes + 1}`,
    );
  }
  if (offsets[0] !== 0) throw new DataError(`graph.offsets[0] is ${offsets[0]}, expected 0`);
  for (let n = 0; n < graph.numNodes; n++) {
    if (offsets[n + 1]! < offsets[n]!) {
      throw new DataError(
        `graph.offsets must be non-decreasing, but offsets[${n + 1}] = ${offsets[n + 1]} < offsets[${n}] = ${offsets[n]}`,
      );
    }
  }
  const edges = offsets[graph.numNodes]!;
  if (neighbors.length !== edges || weights.length !== edges) {
    throw new DataError(
      `graph.offsets ends at ${edges} edges, but graph.neighbors has ${neighbors.length} and graph.weights ${weights.length} entries`,
    );
  }
  for (let e = 0; e < edges; e++) {
    const j = neighbors[e]!;
    if (j < 0 || j >= graph.numNodes) {
      throw new DataError(`graph.neighbors[${e}] = ${j} is outside [0, ${graph.numNodes})`);
    }
    if (!Number.isFinite(weights[e]!))
      throw new DataError(`graph.weights[${e}] = ${weights[e]} is not finite`);
  }
  return graph;
}
