import { defaultRegistry } from '@ncf/core';
import type { ModelFactory, ModelRegistry } from '@ncf/core';
import { attentionNcfFactory } from './attention-ncf.js';
import { basicNcfFactory } from './basic-ncf.js';
import { contentNcfFactory } from './content-ncf.js';
import { gmfFactory } from './gmf.js';
import { mfFactory } from './mf.js';
import { mlpFactory } from './mlp.js';
import { neumfFactory } from './neumf.js';

/** Every factory of this package: `ncf/mf`, `ncf/gmf`, `ncf/mlp`, `ncf/neumf`, `ncf/basic`, `ncf/content`, `ncf/attention`. */
export const NCF_FACTORIES = [
  mfFactory,
  gmfFactory,
  mlpFactory,
  neumfFactory,
  basicNcfFactory,
  contentNcfFactory,
  attentionNcfFactory,
] as const;

/** Registers the NCF models in `registry` (default: core's process-wide registry). Idempotent. */
export function registerNcfModels(registry: ModelRegistry = defaultRegistry): ModelRegistry {
  for (const f of NCF_FACTORIES) registry.register(f as ModelFactory<object>);
  return registry;
}
