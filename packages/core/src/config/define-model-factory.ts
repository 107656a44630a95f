import type { DataSpec } from '../data-spec.js';
import type { DatasetInfo } from '../dataset-info.js';
import type { CreateOptions, ModelFactory, Recommender } from '../model.js';

/**
 * What {@link defineModelFactory} needs: every {@link ModelFactory} field except `create` and `dataSpec`,
 * plus `resolve` (defaults + validation, usually built on `resolveConfig`), a `dataSpec` of the resolved
 * config, and a `create` that receives the resolved config and a definite seed.
 */
export type ModelFactoryDefinition<C extends object, M extends Recommender<C>> = Omit<
  ModelFactory<C>,
  'create' | 'dataSpec'
> & {
  /** Fills defaults and validates; throws ConfigError naming the field. */
  resolve(config?: Partial<C>): Readonly<C>;
  /** What the model consumes, from a config that `resolve` returned. */
  dataSpec(config: Readonly<C>): DataSpec;
  /** Creates the model from a config that `resolve` returned. */
  create(info: DatasetInfo, config: Readonly<C>, options: { readonly seed: number }): M;
};

/** A factory made by {@link defineModelFactory}: the contract's factory plus its `resolve`. */
export type DefinedModelFactory<C extends object, M extends Recommender<C>> = Omit<
  ModelFactory<C>,
  'create'
> & {
  resolve(config?: Partial<C>): Readonly<C>;
  create(info: DatasetInfo, config?: Partial<C>, options?: CreateOptions): M;
};

/**
 * A {@link ModelFactory} from its parts: `create(info, config?, options?)` resolves `config` with
 * `definition.resolve` (so a bad field throws ConfigError before anything is allocated) and calls
 * `definition.create` with the frozen result and `options.seed ?? 0`; `dataSpec(config?)` resolves the
 * same way before asking `definition.dataSpec`. The other fields are copied as given;
 * the returned factory is frozen (registries compare factories by identity).
 *
 * ```ts
 * export const mfFactory = defineModelFactory({
 *   kind: 'ncf/mf', description: 'Matrix factorisation (Rendle et al., RecSys 2020)',
 *   defaults: MF_DEFAULTS, resolve: resolveMfConfig, dataSpec: (c) => ncfDataSpec(c.loss, []),
 *   create: (info, config, { seed }) => new MfModel(info, config, seed),
 * });
 * ```
 */
export function defineModelFactory<C extends object, M extends Recommender<C>>(
  definition: ModelFactoryDefinition<C, M>,
): DefinedModelFactory<C, M> {
  const { resolve, create, dataSpec } = definition;
  return Object.freeze({
    ...definition,
    resolve,
    dataSpec(config?: Partial<C>): DataSpec {
      return dataSpec(resolve(config));
    },
    create(info: DatasetInfo, config?: Partial<C>, options: CreateOptions = {}): M {
      const resolved = resolve(config);
      return create(info, resolved, { seed: options.seed ?? 0 });
    },
  }) as DefinedModelFactory<C, M>;
}
