import { defaultRegistry } from '@ncf/core';
import type { ModelFactory, ModelRegistry } from '@ncf/core';
import { lightgcnFactory } from './lightgcn.js';
import { graphNcfFactory } from './graph-ncf.js';
import { ngcfFactory } from './ngcf.js';

/** Every model factory of this package, in registration order. */
export const GNN_MODEL_FACTORIES = [lightgcnFactory, ngcfFactory, graphNcfFactory] as const;

/**
 * Registers this package's model kinds (`gnn/lightgcn`, `gnn/ngcf`,
 * `gnn/graph-ncf`) in `registry` (default: core's process-wide
 * registry) so model files and the CLI can name them. Idempotent.
 */
export function registerGnnModels(registry: ModelRegistry = defaultRegistry): ModelRegistry {
  for (const factory of GNN_MODEL_FACTORIES) registry.register(factory as ModelFactory<object>);
  return registry;
}
