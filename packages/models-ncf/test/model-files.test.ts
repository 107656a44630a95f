import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError, ModelRegistry, initBackend, loadModel, type ModelFactory } from '@ncf/core';
import { mfFactory, neumfFactory, registerNcfModels } from '../src/index.js';
import { toyData } from './helpers.js';

// Issue 14's bug: MF/NeuMF trained with BPR were saved with batchKind 'pairwise' while their factory
// declared 'pointwise', and loading refused the file. The spec now follows the stored config.
const registry = registerNcfModels(new ModelRegistry());
const data = toyData();
const users = Int32Array.of(0, 3, 20);
const items = Int32Array.of(1, 17, 29);
let root: string;
beforeAll(async () => {
  await initBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'ncf-models-files-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function editDoc(dir: string, edit: (doc: Record<string, unknown>) => void): Promise<void> {
  const path = join(dir, 'model.json');
  const json = JSON.parse(await readFile(path, 'utf8')) as { userDefinedMetadata: Record<string, unknown> };
  edit(json.userDefinedMetadata);
  await writeFile(path, JSON.stringify(json));
}

describe('model files of BPR-trained NCF models', () => {
  for (const factory of [mfFactory, neumfFactory] as ModelFactory<object>[]) {
    it(`${factory.kind} with loss bpr stores a pairwise spec and loads back`, async () => {
      const config = {
        loss: 'bpr' as const,
        ...(factory.kind === mfFactory.kind ? { factors: 4 } : { factors: 4, layers: [8, 4] }),
      };
      const model = factory.create(data.info, config, { seed: 2 });
      const dir = join(root, factory.kind.replace('/', '-'));
      try {
        await model.save(dir);
        const doc = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')).userDefinedMetadata;
        expect(doc.dataSpec).toEqual({ batch: 'pairwise', inputs: [] });
        const loaded = await loadModel(dir, { registry });
        expect(loaded.dataSpec).toEqual({ batch: 'pairwise', inputs: [] });
        expect(loaded.score(users, items)).toEqual(model.score(users, items));
        loaded.dispose();

        // A version-1 file as the old code wrote it: batchKind 'pairwise', no dataSpec. It loads.
        await editDoc(dir, (d) => {
          d.formatVersion = 1;
          delete d.dataSpec;
          d.batchKind = 'pairwise';
        });
        const v1 = await loadModel(dir, { registry });
        expect(v1.dataSpec).toEqual({ batch: 'pairwise', inputs: [] });
        expect(v1.score(users, items)).toEqual(model.score(users, items));
        v1.dispose();

        // A version-2 file whose spec disagrees with its config is refused, naming both.
        await editDoc(dir, (d) => {
          d.formatVersion = 2;
          d.dataSpec = { batch: 'pointwise', labels: 'implicit', inputs: [] };
        });
        const err = await loadModel(dir, { registry }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ModelFileError);
        expect((err as Error).message).toMatch(
          /stores dataSpec \(pointwise batches with implicit labels, no inputs\) .* needs \(pairwise batches, no inputs\)/,
        );
      } finally {
        model.dispose();
      }
    });
  }
});
