import { defaultRegistry, type ModelRegistry } from '@ncf/core';
import { registerGnnModels } from '@ncf/models-gnn';
import { registerNcfModels } from '@ncf/models-ncf';

/**
 * The registry the CLI trains and loads models from: core's default registry with the NCF models
 * (\@ncf/models-ncf) and the graph models (\@ncf/models-gnn) added.
 */
export function cliRegistry(): ModelRegistry {
  registerNcfModels(defaultRegistry);
  registerGnnModels(defaultRegistry);
  return defaultRegistry;
}
