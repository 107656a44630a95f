import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  ConfigError,
  NcfError,
  currentBackend,
  initBackend,
  parseBackendPreference,
  requireBackend,
  tf,
  type BackendPreference,
} from '../src/index.js';

const tfjsNodeInstalled = ((): boolean => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();

const savedEnv = process.env.NCF_BACKEND;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.NCF_BACKEND;
  else process.env.NCF_BACKEND = savedEnv;
});

describe('initBackend', () => {
  it('starts the compute pool with the threads asked for, and reports them', async () => {
    const two = await initBackend({ backend: 'cpu', threads: 2 });
    expect(two).toMatchObject({ name: 'cpu', threads: 2, reason: "requested 'cpu'" });
    expect(two.pool).toBe('2 threads (1 worker, shared WebAssembly memory)');
    const one = await initBackend('wasm', { threads: 1 });
    expect(one).toMatchObject({ name: 'wasm', threads: 1, pool: '1 thread' });
    await expect(initBackend({ backend: 'cpu', threads: 0 })).rejects.toThrow(/threads must be an integer/);
  });

  it.each(['cpu', 'wasm'] as const)('initialises %s and reports it', async (name) => {
    const info = await initBackend(name);
    expect(info).toMatchObject({ name, tfjsVersion: tf.version_core, reason: `requested '${name}'` });
    expect(tf.getBackend()).toBe(name);
    expect(currentBackend()).toEqual(info);
    expect(requireBackend()).toEqual(info);
    // The kernel layer makes the JS backends able to train embeddings: the gather gradient is registered.
    expect(info.kernelLayer).toContain('UnsortedSegmentSum');
    expect(tf.getKernel('UnsortedSegmentSum', name)).toBeDefined();
  });

  it.skipIf(tfjsNodeInstalled)(
    "'auto' picks wasm when tfjs-node is not installed, and says why",
    async () => {
      const info = await initBackend('auto');
      expect(info.name).toBe('wasm');
      expect(info.reason).toMatch(
        /^auto: tensorflow unavailable \(@tensorflow\/tfjs-node not installed\) → wasm$/,
      );
    },
  );

  it.skipIf(tfjsNodeInstalled)(
    "'tensorflow' throws BackendUnavailableError with an install hint and does not downgrade",
    async () => {
      await initBackend('cpu');
      const err = await initBackend('tensorflow').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackendUnavailableError);
      expect((err as BackendUnavailableError).backend).toBe('tensorflow');
      expect((err as Error).message).toMatch(/npm install @tensorflow\/tfjs-node@4\.22\.0/);
      expect(tf.getBackend()).toBe('cpu');
    },
  );

  it('takes the preference from NCF_BACKEND when none is given', async () => {
    process.env.NCF_BACKEND = 'cpu';
    expect((await initBackend()).name).toBe('cpu');
    process.env.NCF_BACKEND = 'wasm';
    expect((await initBackend()).name).toBe('wasm');
  });

  it('rejects an unknown name, from the argument or NCF_BACKEND, with a ConfigError listing the choices', async () => {
    await expect(initBackend('gpu' as BackendPreference)).rejects.toThrow(ConfigError);
    process.env.NCF_BACKEND = 'webgl';
    const err = await initBackend().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(
      "unknown backend 'webgl'; expected one of auto, tensorflow, wasm, cpu",
    );
  });

  it('parses preferences', () => {
    expect(parseBackendPreference(undefined)).toBe('auto');
    expect(parseBackendPreference('')).toBe('auto');
    expect(parseBackendPreference('cpu')).toBe('cpu');
    expect(() => parseBackendPreference('CPU')).toThrow(ConfigError);
  });

  it('requireBackend throws once another backend was set behind @ncf’s back', async () => {
    await initBackend('wasm');
    await tf.setBackend('cpu');
    expect(currentBackend()).toBeUndefined();
    expect(() => requireBackend()).toThrow(NcfError);
    expect(() => requireBackend()).toThrow(/call `await initBackend\(\)`/);
    await initBackend('wasm');
  });
});
