import { rmSync } from 'node:fs';
import { tf } from '@ncf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, hostileRequests, type NcfServer } from '../src/index.js';
import { capableRegistry, tinyCatalog, trainTinyModel } from './helpers.js';

let dir: string;
let server: NcfServer;

beforeAll(async () => {
  dir = await trainTinyModel({ seed: 1 });
  server = await createServer({
    modelDir: dir,
    registry: capableRegistry(),
    loadCatalog: tinyCatalog,
    logLevel: false,
    maxBodyBytes: 65_536,
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a storm of bad requests', () => {
  it('answers all 1000 with a 4xx JSON error body, leaks no tensor and stays healthy', async () => {
    // One good request first, so lazily created state (kernels, caches) is not counted as a leak.
    expect((await server.app.inject({ method: 'GET', url: '/v1/users/u1/recommendations' })).statusCode).toBe(
      200,
    );
    const tensors = tf.memory().numTensors;
    const requests = hostileRequests(1000, { seed: 7, maxBodyBytes: 65_536, knownItem: 'i1' });
    const wrong: string[] = [];
    const kinds = new Map<string, Set<number>>();
    for (const r of requests) {
      const res = await server.app.inject({
        method: r.method,
        url: r.url,
        headers: r.headers,
        ...(r.body !== undefined ? { payload: r.body } : {}),
      });
      const set = kinds.get(r.kind) ?? new Set<number>();
      set.add(res.statusCode);
      kinds.set(r.kind, set);
      let error: unknown;
      try {
        error = (res.json() as { error?: unknown }).error;
      } catch {
        error = undefined;
      }
      if (res.statusCode < 400 || res.statusCode >= 500 || typeof error !== 'string') {
        wrong.push(
          `${r.kind} ${r.method} ${r.url.slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 120)}`,
        );
      }
    }
    expect(wrong).toEqual([]);
    // Each family is refused the way it should be.
    expect([...kinds.get('too-large')!]).toEqual([413]);
    expect([...kinds.get('media-type')!]).toEqual([415]);
    expect([...kinds.get('unknown-id')!]).toEqual([404]);
    expect(kinds.get('deep-json')!.has(500)).toBe(false);
    expect(tf.memory().numTensors).toBe(tensors);
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/v1/users/u1/recommendations' })).statusCode).toBe(
      200,
    );
  });
});
