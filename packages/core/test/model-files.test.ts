import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ModelFileError,
  ModelRegistry,
  NewerModelFormatError,
  decodeArrays,
  encodeArrays,
  fileSystemIOHandler,
  fit,
  initBackend,
  loadModel,
  loadModelWithDocument,
  saveModel,
  tf,
  type Recommender,
} from '../src/index.js';
import {
  REFERENCE_MF_KIND,
  referenceMfFactory,
  tinyData,
  tinyDatasetInfo,
  tinyPointwiseSource,
} from '../src/testing/index.js';

const data = tinyData();
// Every kind of dataset input a model file must carry: features, the graph, user histories, custom inputs.
const coViews = {
  type: 'csr' as const,
  numRows: data.numItems,
  numCols: data.numItems,
  offsets: Int32Array.from({ length: data.numItems + 1 }, (_, r) => Math.min(r, 3)),
  indices: Int32Array.of(1, 0, 5),
};
const itemText = {
  type: 'dense' as const,
  names: ['len', 'lang'],
  rows: data.numItems,
  dim: 2,
  values: Float32Array.from({ length: data.numItems * 2 }, (_, k) => k / 4),
};
const info = {
  ...tinyDatasetInfo(data, { itemFeatureClusters: 4, graph: true, userHistories: 'implicit' }),
  inputs: { coViews, itemText },
};
const registry = new ModelRegistry().register(referenceMfFactory);
const users = Int32Array.from({ length: 24 }, (_, k) => k % data.numUsers);
const items = Int32Array.from({ length: 24 }, (_, k) => (k * 7) % data.numItems);

let root: string;
let model: Recommender;
beforeAll(async () => {
  await initBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'ncf-model-files-'));
  model = referenceMfFactory.create(info, { factors: 4 }, { seed: 5 });
  await fit(model, tinyPointwiseSource(data), {
    epochs: 1,
    batchSize: 32,
    optimizer: { learningRate: 0.05 },
  });
});
afterAll(async () => {
  model.dispose();
  await rm(root, { recursive: true, force: true });
});

async function saved(name: string): Promise<string> {
  const dir = join(root, name);
  await saveModel(model, dir, { training: { epochs: 1, seed: 5, metrics: { 'ndcg@10': 0.5 } } });
  return dir;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit arbitrary model.json fields
type Json = Record<string, any>;

async function editJson(dir: string, edit: (json: Json) => void): Promise<void> {
  const path = join(dir, 'model.json');
  const json = JSON.parse(await readFile(path, 'utf8')) as Json;
  edit(json);
  await writeFile(path, JSON.stringify(json));
}

async function loadError(dir: string, options = {}): Promise<ModelFileError> {
  const before = tf.memory().numTensors;
  const err = await loadModel(dir, { registry, ...options }).catch((e: unknown) => e);
  expect(tf.memory().numTensors).toBe(before);
  expect(err).toBeInstanceOf(ModelFileError);
  return err as ModelFileError;
}

describe('saveModel / loadModel', () => {
  it('writes a versioned model.json and weights.bin in tfjs weights format', async () => {
    const dir = await saved('layout');
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('ncf-model');
    expect(json.generatedBy).toMatch(/^@ncf\/core \d+\.\d+\.\d+/);
    const doc = json.userDefinedMetadata;
    expect(doc).toMatchObject({
      formatVersion: 2,
      kind: REFERENCE_MF_KIND,
      dataSpec: { batch: 'pointwise', labels: 'implicit', inputs: [] },
      config: { factors: 4, initStd: 0.1 },
      training: { epochs: 1, seed: 5, metrics: { 'ndcg@10': 0.5 } },
    });
    expect(doc.versions['@tensorflow/tfjs-core']).toBe(tf.version_core);
    expect(doc.versions['@ncf/core']).toBe('0.1.0');
    expect(doc.dataset.userIds.ids.slice(0, 2)).toEqual(['u0', 'u1']);
    expect(doc.dataset.itemFeatures).toMatchObject({ rows: 32, dim: 5, weight: '__dataset__/itemFeatures' });
    expect(doc.dataset.graph).toEqual({
      type: 'csr',
      numRows: 56,
      numCols: 56,
      offsets: '__dataset__/graph/offsets',
      indices: '__dataset__/graph/indices',
      values: '__dataset__/graph/values',
      normalization: 'symmetric',
    });
    expect(doc.dataset.inputs.coViews).toEqual({
      type: 'csr',
      numRows: 32,
      numCols: 32,
      offsets: '__dataset__/inputs/coViews/offsets',
      indices: '__dataset__/inputs/coViews/indices',
    });
    const specs = json.weightsManifest[0].weights;
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(specs.slice(0, 2)).toEqual([
      { name: 'user_embedding', shape: [24, 4], dtype: 'float32' },
      { name: 'item_embedding', shape: [32, 4], dtype: 'float32' },
    ]);
    // The bytes are tfjs's weights format: tf.io.decodeWeights reads them to the model's values.
    const bin = await readFile(join(dir, 'weights.bin'));
    // embeddings + item features; graph (57 offsets, 240 entries × index + value); histories (25 offsets,
    // 120 entries × 2); coViews (33 offsets, 3 indices, no values); itemText (32 × 2).
    const expectedBytes =
      (24 * 4 + 32 * 4 + 32 * 5) * 4 + (57 + 240 * 2) * 4 + (25 + 120 * 2) * 4 + (33 + 3) * 4 + 32 * 2 * 4;
    expect(bin.byteLength).toBe(expectedBytes);
    const decoded = tf.io.decodeWeights(
      bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      specs,
    );
    expect(Array.from(decoded.user_embedding!.dataSync())).toEqual(
      Array.from(model.variables()[0]!.variable.dataSync()),
    );
    for (const t of Object.values(decoded)) t.dispose();
  });

  it('loads a format-version-1 file (batchKind, old graph layout): spec derived from the config', async () => {
    const dir = await saved('version-1');
    await editJson(dir, (j) => {
      const doc = j.userDefinedMetadata;
      doc.formatVersion = 1;
      delete doc.dataSpec;
      doc.batchKind = 'pointwise';
      const g = doc.dataset.graph;
      doc.dataset.graph = { numNodes: 56, offsets: g.offsets, neighbors: g.indices, weights: g.values };
      delete doc.dataset.itemFeatures.type;
      delete doc.dataset.userHistories;
      delete doc.dataset.inputs;
    });
    const loaded = await loadModel(dir, { registry });
    try {
      expect(loaded.dataSpec).toEqual(referenceMfFactory.dataSpec());
      expect(loaded.info.graph).toEqual(info.graph);
      expect(loaded.info.itemFeatures).toEqual(info.itemFeatures);
      expect(loaded.score(users, items)).toEqual(model.score(users, items));
    } finally {
      loaded.dispose();
    }
  });

  it('loads to identical scores, config and dataset info (ids, features, graph, histories, inputs)', async () => {
    const dir = await saved('roundtrip');
    const before = tf.memory().numTensors;
    const { model: loaded, document } = await loadModelWithDocument(dir, { registry });
    try {
      expect(loaded.kind).toBe(REFERENCE_MF_KIND);
      expect(loaded.config).toEqual(model.config);
      expect(loaded.dataSpec).toEqual(model.dataSpec);
      expect(loaded.info).toEqual(info);
      expect(loaded.score(users, items)).toEqual(model.score(users, items));
      expect(loaded.scoreAll!(Int32Array.of(0, 3))).toEqual(model.scoreAll!(Int32Array.of(0, 3)));
      expect(document.training.metrics).toEqual({ 'ndcg@10': 0.5 });
    } finally {
      loaded.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the training item counts (DatasetInfo.itemCounts) as a dataset weight', async () => {
    const itemCounts = Float32Array.from({ length: data.numItems }, (_, i) => (i * 3) % 7);
    const counted = referenceMfFactory.create({ ...info, itemCounts }, { factors: 4 }, { seed: 5 });
    const dir = join(root, 'item-counts');
    try {
      await saveModel(counted, dir);
    } finally {
      counted.dispose();
    }
    const doc = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as Json;
    expect(doc.userDefinedMetadata.dataset.itemCounts).toBe('__dataset__/itemCounts');
    const loaded = await loadModel(dir, { registry });
    try {
      expect(loaded.info.itemCounts).toEqual(itemCounts);
    } finally {
      loaded.dispose();
    }
    await editJson(dir, (json) => {
      json.userDefinedMetadata.dataset.itemCounts = '__dataset__/missing';
    });
    expect((await loadError(dir)).message).toMatch(
      /dataset.itemCounts refers to weight '__dataset__\/missing'/,
    );
  });

  it('replaces an existing model and leaves no temporary directories', async () => {
    const dir = await saved('replace');
    const other = referenceMfFactory.create(info, { factors: 4 }, { seed: 77 });
    try {
      await saveModel(other, dir);
      const loaded = await loadModel(dir, { registry });
      expect(loaded.score(users, items)).toEqual(other.score(users, items));
      loaded.dispose();
    } finally {
      other.dispose();
    }
    expect((await readdir(root)).filter((n) => n.includes('ncf-tmp') || n.includes('ncf-previous'))).toEqual(
      [],
    );
  });

  it('refuses to overwrite a directory it did not write', async () => {
    const dir = join(root, 'foreign');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await expect(saveModel(model, dir)).rejects.toThrow(/refusing to overwrite/);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('falls back to the backup when a save crashed between its two renames', async () => {
    const dir = await saved('crash-window');
    await rename(dir, `${dir}.ncf-previous`);
    const loaded = await loadModel(dir, { registry });
    expect(loaded.score(users, items)).toEqual(model.score(users, items));
    loaded.dispose();
    await saveModel(model, dir);
    expect((await readdir(root)).filter((n) => n.startsWith('crash-window'))).toEqual(['crash-window']);
  });
});

describe('loadModel rejects bad files with a ModelFileError naming the file', () => {
  it('a missing directory', async () => {
    const err = await loadError(join(root, 'nowhere'));
    expect(err.file).toMatch(/nowhere\/model\.json$/);
    expect(err.message).toMatch(/file not found/);
  });

  it('a truncated weights.bin', async () => {
    const dir = await saved('truncated');
    const bin = await readFile(join(dir, 'weights.bin'));
    await writeFile(join(dir, 'weights.bin'), bin.subarray(0, 100));
    const err = await loadError(dir);
    expect(err.file).toBe(join(dir, 'weights.bin'));
    expect(err.message).toMatch(/holds 100 bytes .* describes \d+ \(truncated\)/);
  });

  it('a corrupted weights.bin', async () => {
    const dir = await saved('corrupted');
    const bin = await readFile(join(dir, 'weights.bin'));
    bin[17] = bin[17]! ^ 0xff;
    await writeFile(join(dir, 'weights.bin'), bin);
    const err = await loadError(dir);
    expect(err.message).toMatch(/weights\.bin: checksum mismatch/);
  });

  it('model.json that is not JSON', async () => {
    const dir = await saved('badjson');
    await writeFile(join(dir, 'model.json'), '{"format": "ncf-model", ');
    const err = await loadError(dir);
    expect(err.file).toBe(join(dir, 'model.json'));
    expect(err.message).toMatch(/is not valid JSON/);
  });

  it('a newer format version', async () => {
    const dir = await saved('newer');
    await editJson(dir, (j) => (j.userDefinedMetadata.formatVersion = 3));
    const err = await loadError(dir);
    expect(err).toBeInstanceOf(NewerModelFormatError);
    expect(err.message).toMatch(/format version 3, but this @ncf\/core reads versions up to 2; upgrade/);
  });

  it('a stored data spec that differs from the one the factory derives from the stored config', async () => {
    const dir = await saved('spec');
    await editJson(dir, (j) => (j.userDefinedMetadata.dataSpec = { batch: 'pairwise', inputs: [] }));
    const err = await loadError(dir);
    expect(err.file).toBe(join(dir, 'model.json'));
    expect(err.message).toMatch(
      /stores dataSpec \(pairwise batches, no inputs\) but 'testing\/reference-mf' .* needs \(pointwise batches with implicit labels, no inputs\)/,
    );
  });

  it('a custom input whose arrays are missing', async () => {
    const dir = await saved('input');
    await editJson(dir, (j) => (j.userDefinedMetadata.dataset.inputs.coViews.indices = 'nope'));
    expect((await loadError(dir)).message).toMatch(
      /dataset\.inputs\.coViews\.indices refers to weight "nope", which is missing/,
    );
  });

  it('a kind that is not registered, or not the expected one', async () => {
    const dir = await saved('kind');
    expect((await loadError(dir, { registry: new ModelRegistry() })).message).toMatch(
      /model kind 'testing\/reference-mf' is not registered \(registered: none\)/,
    );
    expect((await loadError(dir, { kind: 'ncf/neumf' })).message).toMatch(/expected 'ncf\/neumf'/);
  });

  it('weights whose shapes do not fit the config', async () => {
    const dir = await saved('shape');
    await editJson(dir, (j) => (j.userDefinedMetadata.config.factors = 8));
    expect((await loadError(dir)).message).toMatch(
      /weight 'user_embedding' has shape \[24, 4\] but model .* expects \[24, 8\]/,
    );
  });

  it('a config the factory rejects', async () => {
    const dir = await saved('badconfig');
    await editJson(dir, (j) => (j.userDefinedMetadata.config.factors = -3));
    expect((await loadError(dir)).message).toMatch(
      /cannot create a 'testing\/reference-mf' model .* factors must be/,
    );
  });

  it('id maps whose size disagrees with the dataset', async () => {
    const dir = await saved('ids');
    await editJson(dir, (j) => j.userDefinedMetadata.dataset.userIds.ids.pop());
    expect((await loadError(dir)).message).toMatch(/dataset\.userIds has 23 ids but the model has 24/);
  });

  it('a file that is not an @ncf model', async () => {
    const dir = await saved('foreign-format');
    await editJson(dir, (j) => (j.format = 'layers-model'));
    expect((await loadError(dir)).message).toMatch(/not an @ncf model file/);
  });
});

describe('weights codec and IO handler', () => {
  it('encodes typed arrays byte-identically to tf.io.encodeWeights', async () => {
    const a = Float32Array.of(1.5, -2, 3.25, 0);
    const b = Int32Array.of(7, -8);
    const ours = encodeArrays([
      { name: 'a', shape: [2, 2], values: a },
      { name: 'b', shape: [2], values: b },
    ]);
    const ta = tf.tensor2d(a, [2, 2]);
    const tb = tf.tensor1d(b, 'int32');
    const theirs = await tf.io.encodeWeights({ a: ta, b: tb });
    tf.dispose([ta, tb]);
    expect(ours.specs).toEqual(theirs.specs);
    expect(Array.from(ours.data)).toEqual(Array.from(new Uint8Array(theirs.data)));
    const back = decodeArrays(ours.specs, ours.data, 'x');
    expect(back.get('b')!.values).toEqual(b);
    expect(() => encodeArrays([{ name: 'a', shape: [3], values: a }])).toThrow(
      /has 4 values but shape \[3\] needs 3/,
    );
  });

  it('works as a tfjs IOHandler for plain artifacts', async () => {
    const dir = join(root, 'handler');
    const { specs, data: bytes } = encodeArrays([
      { name: 'w', shape: [3], values: Float32Array.of(1, 2, 3) },
    ]);
    const handler = fileSystemIOHandler(dir);
    const result = await handler.save!({ weightSpecs: specs, weightData: bytes.slice().buffer, format: 'x' });
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(12);
    const artifacts = await handler.load!();
    expect(artifacts.format).toBe('x');
    expect(artifacts.weightSpecs).toEqual(specs);
    expect(new Float32Array(artifacts.weightData as ArrayBuffer)).toEqual(Float32Array.of(1, 2, 3));
  });
});
