import { ModelRegistry } from '@ncf/core';
import { describe, expect, it } from 'vitest';
import { NCF_FACTORIES, registerNcfModels } from '../src/index.js';

describe('registerNcfModels', () => {
  it('registers every kind once, idempotently', () => {
    const r = new ModelRegistry();
    registerNcfModels(r);
    registerNcfModels(r);
    expect(r.kinds()).toEqual([
      'ncf/attention',
      'ncf/basic',
      'ncf/content',
      'ncf/gmf',
      'ncf/mf',
      'ncf/mlp',
      'ncf/neumf',
    ]);
    for (const f of NCF_FACTORIES) {
      expect(r.get(f.kind)).toBe(f);
      expect(f.description.length).toBeGreaterThan(10);
    }
  });
});
