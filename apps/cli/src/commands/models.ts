import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { cliRegistry } from '../wiring/registry.js';
import { MODEL_ALIASES } from '../wiring/train-model.js';

/** Options of `ncf models`. */
export type ModelsCommandOptions = GlobalOptions;

/** `ncf models`: the registered model kinds, their short names, descriptions and default configs. */
export async function runModels(_options: ModelsCommandOptions, io: CliIo): Promise<void> {
  const registry = cliRegistry();
  const aliases = new Map<string, string>();
  for (const [alias, kind] of Object.entries(MODEL_ALIASES)) if (!aliases.has(kind)) aliases.set(kind, alias);
  for (const kind of registry.kinds()) {
    const f = registry.get(kind);
    const alias = aliases.get(kind);
    io.out(`${kind}${alias ? ` (--model ${alias})` : ''}: ${f.description}`);
    io.out(`  defaults: ${JSON.stringify(f.defaults)}`);
  }
}
