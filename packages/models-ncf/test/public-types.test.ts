import { ModelRegistry } from '@ncf/core';
import type {
  BatchOf,
  BatchSource,
  DatasetInfo,
  ModelFactory,
  PairwiseBatch,
  PointwiseBatch,
  Recommender,
  UserHistoryBatch,
} from '@ncf/core';
import { pairwiseSource, pointwiseSource } from '@ncf/datasets';
import { describe, expectTypeOf, it } from 'vitest';
import { mfFactory, neumfFactory } from '../src/index.js';
import type { MfConfig, NeuMfConfig } from '../src/index.js';

/**
 * Type-level tests of the public contracts a third party codes against. The assertions are checked by
 * `pnpm typecheck` (tsc over every test file); at run time they are no-ops.
 */
describe('public contract types', () => {
  it("a factory's config type flows to create() and to the model it returns", () => {
    expectTypeOf(neumfFactory).toEqualTypeOf<ModelFactory<NeuMfConfig>>();
    expectTypeOf(neumfFactory.create).parameter(0).toEqualTypeOf<DatasetInfo>();
    expectTypeOf(neumfFactory.create).parameter(1).toEqualTypeOf<Partial<NeuMfConfig> | undefined>();
    expectTypeOf(neumfFactory.create).returns.toEqualTypeOf<Recommender<NeuMfConfig>>();
    expectTypeOf<Recommender<NeuMfConfig>['config']>().toEqualTypeOf<Readonly<NeuMfConfig>>();
    expectTypeOf(mfFactory.defaults).toEqualTypeOf<Readonly<MfConfig>>();
    // A field of another model's config is not accepted.
    expectTypeOf<{ layers: number[] }>().not.toExtend<Partial<MfConfig>>();
  });

  it('registry lookups give an untyped factory; register() keeps the chain', () => {
    const registry = new ModelRegistry();
    expectTypeOf(registry.register(neumfFactory)).toEqualTypeOf<ModelRegistry>();
    expectTypeOf(registry.get('ncf/neumf')).toEqualTypeOf<ModelFactory<object>>();
    expectTypeOf(registry.kinds()).toEqualTypeOf<string[]>();
  });

  it('batch kinds select their batch types, and the sources produce them', () => {
    expectTypeOf<BatchOf<'pointwise'>>().toEqualTypeOf<PointwiseBatch>();
    expectTypeOf<BatchOf<'pairwise'>>().toEqualTypeOf<PairwiseBatch>();
    expectTypeOf<BatchOf<'user-history'>>().toEqualTypeOf<UserHistoryBatch>();
    expectTypeOf(pointwiseSource).returns.toEqualTypeOf<BatchSource<PointwiseBatch>>();
    expectTypeOf(pairwiseSource).returns.toEqualTypeOf<BatchSource<PairwiseBatch>>();
  });
});
