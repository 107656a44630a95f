import type { BatchKind } from './batch.js';
import { datasetInput, type DatasetInfo } from './dataset-info.js';
import { ConfigError, DataError } from './errors.js';

/**
 * What a model needs from the data, declared by its factory as a function of its config
 * ({@link ModelFactory.dataSpec}). `@ncf/datasets`' `batchSourceFor(spec, train)` and
 * `datasetInfoFor(spec, train)` build exactly that, so the CLI, the benchmarks and the test kit never branch on
 * a model kind or read a model's config fields.
 */

/** How pointwise and user-history batches are labelled: 1 plus sampled 0s (`implicit`) or the rating. */
export type LabelKind = 'implicit' | 'rating';

/** The label kinds, for validation. */
export const LABEL_KINDS: readonly LabelKind[] = Object.freeze(['implicit', 'rating'] as const);

/**
 * A dataset input a model reads at creation. The well-known ones map to {@link DatasetInfo} fields
 * (`itemFeatures`, `userFeatures`, `graph`, `userHistories`); any other name is a custom input carried in
 * `DatasetInfo.inputs` (third-party models name their own).
 */
export type DataInputName = 'itemFeatures' | 'userFeatures' | 'graph' | 'userHistories' | (string & {});

/** The well-known input names (every other name lives in `DatasetInfo.inputs`). */
export const WELL_KNOWN_INPUTS: readonly string[] = Object.freeze([
  'itemFeatures',
  'userFeatures',
  'graph',
  'userHistories',
]);

/** A model's data needs for one config: the batches `loss()` consumes and the inputs `create()` reads. */
export interface DataSpec {
  readonly batch: BatchKind;
  /** Pointwise and user-history batches: implicit (1 + sampled 0s) or rating labels; absent for pairwise. */
  readonly labels?: LabelKind;
  /** Dataset inputs the model needs at create time. */
  readonly inputs: readonly DataInputName[];
}

/** A dataset lacks an input a model's {@link DataSpec} names. `input` is the missing name. */
export class MissingDataInputError extends DataError {
  readonly input: DataInputName;
  constructor(input: DataInputName, message: string) {
    super(message);
    this.input = input;
  }
}

const BATCH_KINDS: readonly BatchKind[] = ['pointwise', 'pairwise', 'user-history'];

/**
 * Checks that `spec` is a well-formed {@link DataSpec} (a known batch kind; labels exactly when the batch is
 * pointwise or user-history; input names non-empty and distinct) and returns it frozen.
 * @throws ConfigError naming the field.
 */
export function defineDataSpec(spec: DataSpec): DataSpec {
  if (!BATCH_KINDS.includes(spec.batch)) {
    throw new ConfigError(
      `dataSpec.batch must be one of ${BATCH_KINDS.join(', ')}, got ${JSON.stringify(spec.batch)}`,
      'batch',
    );
  }
  if (spec.batch === 'pairwise') {
    if (spec.labels !== undefined) {
      throw new ConfigError("dataSpec.labels must be absent for 'pairwise' batches", 'labels');
    }
  } else if (!LABEL_KINDS.includes(spec.labels as LabelKind)) {
    throw new ConfigError(
      `dataSpec.labels must be 'implicit' or 'rating' for '${spec.batch}' batches, got ${JSON.stringify(spec.labels)}`,
      'labels',
    );
  }
  if (!Array.isArray(spec.inputs) || spec.inputs.some((n) => typeof n !== 'string' || n === '')) {
    throw new ConfigError('dataSpec.inputs must be an array of non-empty input names', 'inputs');
  }
  if (new Set(spec.inputs).size !== spec.inputs.length) {
    throw new ConfigError(`dataSpec.inputs names an input twice: ${spec.inputs.join(', ')}`, 'inputs');
  }
  return Object.freeze({
    batch: spec.batch,
    ...(spec.labels !== undefined ? { labels: spec.labels } : {}),
    inputs: Object.freeze([...spec.inputs]),
  });
}

/** Whether two specs ask for the same batches, labels and inputs (input order does not matter). */
export function sameDataSpec(a: DataSpec, b: DataSpec): boolean {
  if (a.batch !== b.batch || a.labels !== b.labels || a.inputs.length !== b.inputs.length) return false;
  const names = new Set(a.inputs);
  return b.inputs.every((n) => names.has(n));
}

/** One line for messages: `pairwise batches, inputs graph` / `pointwise batches with rating labels`. */
export function formatDataSpec(spec: DataSpec): string {
  const labels = spec.labels ? ` with ${spec.labels} labels` : '';
  const inputs = spec.inputs.length ? `, inputs ${spec.inputs.join(', ')}` : ', no inputs';
  return `${spec.batch} batches${labels}${inputs}`;
}

/**
 * Checks that `info` carries every input `spec` names (well-known ones in their {@link DatasetInfo} field,
 * others in `info.inputs`).
 * @throws MissingDataInputError naming the first missing input and how to provide it.
 */
export function checkDataSpec(spec: DataSpec, info: DatasetInfo): void {
  for (const name of spec.inputs) {
    if (datasetInput(info, name) !== undefined) continue;
    const where = WELL_KNOWN_INPUTS.includes(name) ? `DatasetInfo.${name}` : `DatasetInfo.inputs['${name}']`;
    throw new MissingDataInputError(
      name,
      `the model needs dataset input '${name}' (${formatDataSpec(spec)}), but ${where} is absent; ` +
        "build the dataset info with @ncf/datasets' datasetInfoFor(spec, train, extras)" +
        (name === 'graph' || name === 'userHistories' ? '' : ` and give '${name}' in extras`),
    );
  }
}
