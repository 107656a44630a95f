import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { initBackend, tf } from '../src/index.js';

/**
 * Exactly one copy of tfjs-core may load: a second copy has its own engine, so backends and kernels
 * registered with one are invisible to the other (and tfjs-node would silently not be used).
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const workspaceDirs = [
  ...readdirSync(join(repoRoot, 'packages')).map((d) => join(repoRoot, 'packages', d)),
  join(repoRoot, 'apps', 'cli'),
  join(repoRoot, 'benchmarks'),
].filter((d) => existsSync(join(d, 'package.json')));

function resolveFrom(dir: string, specifier: string): string | undefined {
  try {
    return realpathSync(createRequire(join(dir, 'package.json')).resolve(specifier));
  } catch {
    return undefined;
  }
}

/** The tfjs-core a workspace package gets: its own dependency, or the one @ncf/core brings. */
function tfjsCoreSeenFrom(dir: string): string {
  const direct = resolveFrom(dir, '@tensorflow/tfjs-core');
  if (direct) return direct;
  const core = resolveFrom(dir, '@ncf/core/package.json');
  if (!core) throw new Error(`${dir} resolves neither @tensorflow/tfjs-core nor @ncf/core`);
  return resolveFrom(dirname(core), '@tensorflow/tfjs-core')!;
}

describe('one copy of tfjs-core', () => {
  const coreDir = fileURLToPath(new URL('..', import.meta.url));
  const ours = resolveFrom(coreDir, '@tensorflow/tfjs-core')!;

  it('resolves to the same file from every workspace package', () => {
    expect(workspaceDirs.length).toBeGreaterThanOrEqual(7);
    for (const dir of workspaceDirs)
      expect({ dir, path: tfjsCoreSeenFrom(dir) }).toEqual({ dir, path: ours });
  });

  it('is the copy the cpu and wasm backends (and tfjs-node, when installed) register with', () => {
    for (const backend of [
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-node',
    ]) {
      const entry = resolveFrom(coreDir, backend);
      if (!entry && backend.endsWith('node')) continue;
      expect(entry, backend).toBeDefined();
      expect(resolveFrom(dirname(entry!), '@tensorflow/tfjs-core'), backend).toBe(ours);
    }
  });

  it('is installed once in the pnpm store', () => {
    const store = join(repoRoot, 'node_modules', '.pnpm');
    const copies = readdirSync(store).filter((n) => n.startsWith('@tensorflow+tfjs-core@'));
    expect(copies).toHaveLength(1);
  });

  it('has one engine: the global engine is the one `tf` uses and both backends are registered in it', async () => {
    // Each JS backend is loaded on first use, so both are initialised here.
    await initBackend('cpu');
    await initBackend('wasm');
    const global = (globalThis as { _tfengine?: unknown })._tfengine;
    expect(global).toBeDefined();
    expect(global).toBe(tf.engine());
    expect(tf.findBackendFactory('cpu')).not.toBeNull();
    expect(tf.findBackendFactory('wasm')).not.toBeNull();
  });
});
