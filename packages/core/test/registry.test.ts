import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ModelRegistry,
  UnknownModelKindError,
  defaultRegistry,
  type ModelFactory,
} from '../src/index.js';
import { referenceMfFactory } from '../src/testing/index.js';

const other = (kind: string): ModelFactory => ({ ...referenceMfFactory, kind }) as unknown as ModelFactory;

describe('ModelRegistry', () => {
  it('maps kinds to factories and lists them sorted', () => {
    const registry = new ModelRegistry()
      .register(other('z/last'))
      .register(referenceMfFactory)
      .register(other('a/first'));
    expect(registry.kinds()).toEqual(['a/first', 'testing/reference-mf', 'z/last']);
    expect(registry.get('testing/reference-mf')).toBe(referenceMfFactory);
    expect(registry.has('z/last')).toBe(true);
    expect(registry.has('ncf/neumf')).toBe(false);
  });

  it('treats registering the same factory twice as a no-op and a different factory under a taken kind as an error', () => {
    const registry = new ModelRegistry().register(referenceMfFactory).register(referenceMfFactory);
    expect(registry.kinds()).toEqual(['testing/reference-mf']);
    const err = (() => {
      try {
        registry.register(other('testing/reference-mf'));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('kind');
    expect(registry.get('testing/reference-mf')).toBe(referenceMfFactory);
  });

  it('throws UnknownModelKindError naming the kind and the registered ones', () => {
    const registry = new ModelRegistry().register(referenceMfFactory);
    expect(() => registry.get('ncf/neumf')).toThrow(UnknownModelKindError);
    expect(() => registry.get('ncf/neumf')).toThrow(
      "model kind 'ncf/neumf' is not registered (registered: testing/reference-mf)",
    );
    expect(() => new ModelRegistry().get('x')).toThrow(/\(registered: none\)/);
  });

  it('keeps separate registries independent of the default one', () => {
    new ModelRegistry().register(other('only/here'));
    expect(defaultRegistry.has('only/here')).toBe(false);
  });
});
