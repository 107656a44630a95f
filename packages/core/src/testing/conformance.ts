import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import type { BatchSource } from '../batch.js';
import { MissingDataInputError, WELL_KNOWN_INPUTS, formatDataSpec, type DataSpec } from '../data-spec.js';
import type { DatasetInfo } from '../dataset-info.js';
import { fit, type FitOptions } from '../fit.js';
import type { ModelFactory, Recommender } from '../model.js';
import { loadModel } from '../model-files/load-model.js';
import { readModelWeights } from '../model-files/variable-arrays.js';
import { ModelRegistry } from '../registry.js';
import { tf } from '../tf.js';
import { tinyData, type TinyData, type TinyDataOptions } from './tiny-data.js';
import { tinyDatasetInfoFor, tinySourceFor } from './tiny-spec.js';

/** Options of {@link describeModelConformance}. */
export interface ConformanceOptions<C extends object> {
  /** Config for every model created (merged over the factory's defaults). */
  readonly config?: Partial<C>;
  /** Backends to run the suite on (default `['cpu', 'wasm']`). */
  readonly backends?: readonly ('cpu' | 'wasm')[];
  /** Size and seed of the generated data. */
  readonly data?: TinyDataOptions;
  /**
   * Dataset info for the model (default `tinyDatasetInfoFor(spec, data)`: every well-known input the spec
   * names). Needed only for custom inputs, which the kit cannot invent.
   */
  readonly info?: (data: TinyData, spec: DataSpec) => DatasetInfo;
  /** Batch source (default `tinySourceFor(spec, data)`: the batches and labels the spec names). */
  readonly source?: (data: TinyData, spec: DataSpec) => BatchSource;
  /** Training options (default 6 epochs, batch 32, Adam lr 0.05, seed 7). */
  readonly fit?: FitOptions;
  /** The last epoch's loss must be below `(1 − lossDrop) ×` the first's (default 0.1). */
  readonly lossDrop?: number;
  /** Tolerance between `scoreAll` and `score` (default 1e-4, relative to the score's magnitude). */
  readonly scoreTolerance?: number;
  /** Seed passed to `create` (default 11). */
  readonly seed?: number;
}

/** `info` without input `name` (a well-known field or a custom input). */
function withoutInput(info: DatasetInfo, name: string): DatasetInfo {
  const copy: Record<string, unknown> = { ...info };
  if (WELL_KNOWN_INPUTS.includes(name)) delete copy[name];
  if (info.inputs && Object.hasOwn(info.inputs, name)) {
    const inputs = { ...info.inputs };
    delete inputs[name];
    copy.inputs = inputs;
  }
  return copy as unknown as DatasetInfo;
}

/** Defaults of {@link ConformanceOptions}. */
export const CONFORMANCE_DEFAULTS = {
  backends: ['cpu', 'wasm'] as const,
  fit: {
    epochs: 6,
    batchSize: 32,
    seed: 7,
    optimizer: { name: 'adam', learningRate: 0.05 },
  } satisfies FitOptions,
  lossDrop: 0.1,
  scoreTolerance: 1e-4,
  seed: 11,
};

/**
 * The model conformance suite every model factory must pass (vitest `describe`/`it` inside; call it at the
 * top level of a test file). Everything it feeds the model comes from `factory.dataSpec(config)`: the kit
 * builds tiny dataset info and batch sources for that spec itself ({@link tinyDatasetInfoFor},
 * {@link tinySourceFor}) — core cannot use `@ncf/datasets` — so a factory is tested unpatched with exactly the
 * data it declares; `info` / `source` override them (custom inputs). On each backend it checks that the
 * factory creates a model whose `dataSpec` equals the factory's for that config, from a config with the
 * defaults filled in; that creating it from info lacking a declared input throws
 * {@link MissingDataInputError}; that the training loss falls over a few epochs of `fit()` on tiny generated data;
 * that `score` returns one finite number per pair and `scoreAll` (when present) agrees with it; that
 * save → load gives identical scores; that `fit`, `score`, `scoreAll` and `dispose` leave
 * `tf.memory().numTensors` unchanged; and that two runs with one seed give identical weights.
 */
export function describeModelConformance<C extends object>(
  factory: ModelFactory<C>,
  options: ConformanceOptions<C> = {},
): void {
  const backends = options.backends ?? CONFORMANCE_DEFAULTS.backends;
  const fitOptions: FitOptions = { ...CONFORMANCE_DEFAULTS.fit, ...options.fit };
  const lossDrop = options.lossDrop ?? CONFORMANCE_DEFAULTS.lossDrop;
  const tolerance = options.scoreTolerance ?? CONFORMANCE_DEFAULTS.scoreTolerance;
  const seed = options.seed ?? CONFORMANCE_DEFAULTS.seed;
  const data = tinyData(options.data);
  const spec = factory.dataSpec(options.config);
  const info = options.info?.(data, spec) ?? tinyDatasetInfoFor(spec, data);
  const source = (): BatchSource => options.source?.(data, spec) ?? tinySourceFor(spec, data);
  const create = (): Recommender<C> => factory.create(info, options.config, { seed });
  // Every (user, item) pair of a few users, for score checks.
  const probeUsers = Int32Array.from([0, 1, Math.min(2, data.numUsers - 1), data.numUsers - 1]);
  const pairUsers = new Int32Array(probeUsers.length * data.numItems);
  const pairItems = new Int32Array(probeUsers.length * data.numItems);
  probeUsers.forEach((u, r) => {
    for (let i = 0; i < data.numItems; i++) {
      pairUsers[r * data.numItems + i] = u;
      pairItems[r * data.numItems + i] = i;
    }
  });

  describe(`model conformance: ${factory.kind} (${formatDataSpec(spec)})`, () => {
    for (const backend of backends) {
      describe(`on ${backend}`, () => {
        let dir: string;
        beforeAll(async () => {
          await initBackend(backend);
          dir = await mkdtemp(join(tmpdir(), 'ncf-conformance-'));
        });
        afterAll(async () => {
          await rm(dir, { recursive: true, force: true });
        });

        it('creates a model from a config with the defaults filled in', () => {
          const before = tf.memory().numTensors;
          const model = create();
          try {
            expect(model.kind).toBe(factory.kind);
            expect(model.dataSpec).toEqual(spec);
            expect(model.info.numUsers).toBe(info.numUsers);
            for (const key of Object.keys(factory.defaults)) expect(model.config).toHaveProperty(key);
            // Model files store the config as JSON: it must survive a round trip.
            expect(JSON.parse(JSON.stringify(model.config))).toEqual(model.config);
            const vars = model.variables();
            expect(vars.length).toBeGreaterThan(0);
            expect(new Set(vars.map((v) => v.name)).size).toBe(vars.length);
            expect(vars.some((v) => v.trainable)).toBe(true);
          } finally {
            model.dispose();
          }
          expect(tf.memory().numTensors).toBe(before);
        });

        it('rejects dataset info that lacks an input its data spec names', () => {
          const before = tf.memory().numTensors;
          for (const name of spec.inputs) {
            expect(() => factory.create(withoutInput(info, name), options.config, { seed })).toThrow(
              MissingDataInputError,
            );
          }
          expect(tf.memory().numTensors).toBe(before);
        });

        it('lowers its training loss over a few epochs of fit() on tiny data, without leaking tensors', async () => {
          const model = create();
          try {
            const afterCreate = tf.memory().numTensors;
            const result = await fit(model, source(), fitOptions);
            expect(tf.memory().numTensors).toBe(afterCreate);
            const first = result.history[0]!.loss;
            const last = result.history[result.history.length - 1]!.loss;
            expect(Number.isFinite(last)).toBe(true);
            expect(last).toBeLessThan(first * (1 - lossDrop));
          } finally {
            model.dispose();
          }
        });

        it('scores aligned pairs with one finite number each, scoreAll agreeing, without leaking', () => {
          const model = create();
          try {
            const afterCreate = tf.memory().numTensors;
            const scores = model.score(pairUsers, pairItems);
            expect(scores).toBeInstanceOf(Float32Array);
            expect(scores.length).toBe(pairUsers.length);
            expect(scores.every(Number.isFinite)).toBe(true);
            expect(model.score(new Int32Array(0), new Int32Array(0)).length).toBe(0);
            if (model.scoreAll) {
              const all = model.scoreAll(probeUsers);
              expect(all).toBeInstanceOf(Float32Array);
              expect(all.length).toBe(probeUsers.length * data.numItems);
              for (let k = 0; k < all.length; k++) {
                expect(Math.abs(all[k]! - scores[k]!)).toBeLessThanOrEqual(
                  tolerance * Math.max(1, Math.abs(scores[k]!)),
                );
              }
            }
            expect(tf.memory().numTensors).toBe(afterCreate);
          } finally {
            model.dispose();
          }
        });

        it('saves and loads to identical scores', async () => {
          const registry = new ModelRegistry().register(factory);
          const model = create();
          const target = join(dir, `${backend}-model`);
          try {
            await fit(model, source(), { ...fitOptions, epochs: 1 });
            await model.save(target, { training: { epochs: 1 } });
            const loaded = await loadModel(target, { registry });
            try {
              expect(loaded.kind).toBe(model.kind);
              expect(loaded.config).toEqual(model.config);
              expect(loaded.dataSpec).toEqual(model.dataSpec);
              expect(loaded.score(pairUsers, pairItems)).toEqual(model.score(pairUsers, pairItems));
              if (model.scoreAll) expect(loaded.scoreAll!(probeUsers)).toEqual(model.scoreAll(probeUsers));
            } finally {
              loaded.dispose();
            }
          } finally {
            model.dispose();
          }
        });

        it('gives identical weights for two runs with one seed', async () => {
          const run = async (): Promise<ReturnType<typeof readModelWeights>> => {
            const model = create();
            try {
              await fit(model, source(), { ...fitOptions, epochs: 2 });
              return readModelWeights(model);
            } finally {
              model.dispose();
            }
          };
          const a = await run();
          const b = await run();
          expect(a.map((w) => w.name)).toEqual(b.map((w) => w.name));
          a.forEach((w, k) => expect(w.values).toEqual(b[k]!.values));
        });

        it('frees every tensor on dispose', async () => {
          const before = tf.memory().numTensors;
          const model = create();
          await fit(model, source(), { ...fitOptions, epochs: 1 });
          model.score(pairUsers, pairItems);
          model.scoreAll?.(probeUsers);
          model.dispose();
          expect(tf.memory().numTensors).toBe(before);
        });
      });
    }
  });
}
