import { ConfigError, UnknownModelKindError } from './errors.js';
import type { ModelFactory } from './model.js';

/**
 * Maps model kinds (e.g. `ncf/neumf`) to their factories, so model files and the CLI can name models.
 * Model packages export a `register…Models(registry)` function; third-party models register the same way.
 */
export class ModelRegistry {
  readonly #factories = new Map<string, ModelFactory<object>>();

  /** Adds a factory. Registering the same factory twice is a no-op; a different one under a taken kind throws. */
  register<C extends object>(factory: ModelFactory<C>): this {
    const existing = this.#factories.get(factory.kind);
    if (existing && existing !== (factory as unknown)) {
      throw new ConfigError(`model kind '${factory.kind}' is already registered by another factory`, 'kind');
    }
    this.#factories.set(factory.kind, factory as unknown as ModelFactory<object>);
    return this;
  }

  /** The factory of `kind`; throws {@link UnknownModelKindError} when none is registered. */
  get(kind: string): ModelFactory<object> {
    const f = this.#factories.get(kind);
    if (!f) throw new UnknownModelKindError(kind, this.kinds());
    return f;
  }

  has(kind: string): boolean {
    return this.#factories.has(kind);
  }

  /** Registered kinds, sorted. */
  kinds(): string[] {
    return [...this.#factories.keys()].sort();
  }
}

/** The process-wide registry used when no other is given. */
export const defaultRegistry = new ModelRegistry();
