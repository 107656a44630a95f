import type { ModelFactory, ModelRegistry } from '@ncf/core';
import { biasDotFactory } from './bias-dot.js';

export * from './bias-dot.js';
export * from './item-popularity.js';

/** Registers the example model in `registry` (idempotent, as the package registries are). */
export function registerBiasDot(registry: ModelRegistry): ModelRegistry {
  if (!registry.has(biasDotFactory.kind)) registry.register(biasDotFactory as ModelFactory<object>);
  return registry;
}
