import { defaultRegistry, type ModelRegistry } from '@ncf/core';
import { registerNcfModels } from '@ncf/models-ncf';

/** The registry the CLI trains and loads models from: core's default registry with the NCF models added. */
export function cliRegistry(): ModelRegistry {
  registerNcfModels(defaultRegistry);
  return defaultRegistry;
}
