import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as FsPromises from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Fault injection: when `failing.path` matches, writing that file stores its first half and then throws EIO,
// as a full disk or a crash mid-write would leave it.
const failing = vi.hoisted(() => ({ pattern: undefined as RegExp | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args);
      const path = String(args[0]);
      if (!failing.pattern?.test(path)) return handle;
      return new Proxy(handle, {
        get(target, prop, receiver) {
          if (prop === 'writeFile') {
            return async (data: Uint8Array | string) => {
              const bytes = typeof data === 'string' ? Buffer.from(data) : data;
              await target.write(bytes.subarray(0, bytes.length >> 1));
              throw Object.assign(new Error(`EIO: i/o error, write '${path}'`), { code: 'EIO' });
            };
          }
          const value = Reflect.get(target, prop, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
  };
});

const { ModelRegistry, fit, initBackend, loadModel, readCheckpoint, saveModel, writeCheckpoint } =
  await import('../src/index.js');
const { referenceMfFactory, tinyData, tinyDatasetInfo, tinyPointwiseSource } =
  await import('../src/testing/index.js');

const data = tinyData();
const info = tinyDatasetInfo(data);
const registry = new ModelRegistry().register(referenceMfFactory);
const users = Int32Array.of(0, 1, 2, 3);
const items = Int32Array.of(4, 5, 6, 7);
let root: string;

beforeAll(async () => {
  await initBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'ncf-atomic-'));
});
afterAll(async () => {
  failing.pattern = undefined;
  await rm(root, { recursive: true, force: true });
});

describe('atomic saves', () => {
  it.each([['weights.bin'], ['model.json']])(
    'a save failing midway through %s leaves the previous model intact and no temporary directory',
    async (file) => {
      const dir = join(root, `model-${file}`);
      const first = referenceMfFactory.create(info, {}, { seed: 1 });
      const second = referenceMfFactory.create(info, {}, { seed: 2 });
      try {
        await saveModel(first, dir);
        const expected = first.score(users, items);
        failing.pattern = new RegExp(`ncf-tmp-.*/${file.replace('.', '\\.')}$`);
        await expect(saveModel(second, dir)).rejects.toThrow(/EIO/);
        failing.pattern = undefined;
        const loaded = await loadModel(dir, { registry });
        expect(loaded.score(users, items)).toEqual(expected);
        expect(loaded.score(users, items)).not.toEqual(second.score(users, items));
        loaded.dispose();
        expect((await readdir(root)).filter((n) => n.includes('ncf-tmp'))).toEqual([]);
      } finally {
        failing.pattern = undefined;
        first.dispose();
        second.dispose();
      }
    },
  );

  it('a checkpoint write failing midway leaves the previous checkpoint readable', async () => {
    const dir = join(root, 'ck');
    await writeCheckpoint(dir, {
      meta: { epoch: 1 },
      arrays: [{ name: 'w', shape: [2], values: Float32Array.of(1, 2) }],
    });
    failing.pattern = /ncf-tmp-.*checkpoint\.bin$/;
    await expect(
      writeCheckpoint(dir, {
        meta: { epoch: 2 },
        arrays: [{ name: 'w', shape: [2], values: Float32Array.of(3, 4) }],
      }),
    ).rejects.toThrow(/EIO/);
    failing.pattern = undefined;
    const ck = await readCheckpoint<{ epoch: number }>(dir);
    expect(ck?.meta.epoch).toBe(1);
    expect(ck?.arrays.get('w')?.values).toEqual(Float32Array.of(1, 2));
  });

  it('fit() surfaces a failing checkpoint write and can resume from the last good one', async () => {
    const dir = join(root, 'fit-ck');
    const model = referenceMfFactory.create(info, {}, { seed: 1 });
    try {
      const options = { epochs: 3, batchSize: 16, checkpointDir: dir };
      let epochs = 0;
      await expect(
        fit(model, tinyPointwiseSource(data), {
          ...options,
          onEpochEnd: () => {
            if (++epochs === 2) failing.pattern = /ncf-tmp-.*checkpoint\.json$/;
          },
        }),
      ).rejects.toThrow(/EIO/);
      failing.pattern = undefined;
      const resumed = await fit(model, tinyPointwiseSource(data), { ...options, resume: true });
      expect(resumed.resumedFromEpoch).toBe(1);
      expect(resumed.epochsRun).toBe(3);
    } finally {
      failing.pattern = undefined;
      model.dispose();
    }
  });
});
