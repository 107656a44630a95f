import { ConfigError, ModelRegistry } from '@ncf/core';
import { describe, expect, it } from 'vitest';
import { SERVE_DEFAULTS, resolveServeOptions } from '../src/index.js';

const base = { modelDir: 'models/mf', registry: new ModelRegistry() };

describe('resolveServeOptions', () => {
  it('fills the documented defaults: loopback, 8080, CORS off', () => {
    const o = resolveServeOptions(base);
    expect(o).toMatchObject({ host: '127.0.0.1', port: 8080, cors: false, maxK: 100, defaultK: 10 });
    expect(Object.isFrozen(SERVE_DEFAULTS)).toBe(true);
    expect(resolveServeOptions({ ...base, port: undefined, maxK: 5, defaultK: 5 }).port).toBe(8080);
  });

  it('refuses out-of-range values with a ConfigError naming the field', () => {
    const bad = (extra: object, field: string) => {
      let err: unknown;
      try {
        resolveServeOptions({ ...base, ...extra });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).field).toBe(field);
    };
    bad({ port: 70000 }, 'port');
    bad({ port: 1.5 }, 'port');
    bad({ maxK: 0 }, 'maxK');
    bad({ defaultK: 200 }, 'defaultK');
    bad({ maxBodyBytes: -1 }, 'maxBodyBytes');
    bad({ modelDir: '' }, 'modelDir');
  });
});
