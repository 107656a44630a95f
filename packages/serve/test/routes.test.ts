import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ModelFileError, loadModel, tf } from '@ncf/core';
import type { MfModel } from '@ncf/models-ncf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ErrorBody, type NcfServer } from '../src/index.js';
import {
  DATA,
  capableRegistry,
  incapableRegistry,
  plainRegistry,
  tinyCatalog,
  tinyItemCounts,
  trainTinyModel,
} from './helpers.js';

let dir: string;
let server: NcfServer;
const dirs: string[] = [];

beforeAll(async () => {
  dir = await trainTinyModel({ seed: 1 });
  dirs.push(dir);
  server = await createServer({
    modelDir: dir,
    registry: capableRegistry(),
    loadCatalog: tinyCatalog,
    logLevel: false,
    maxK: 20,
    maxRatings: 8,
    maxBodyBytes: 4096,
  });
});

afterAll(async () => {
  await server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function get(url: string, s: NcfServer = server) {
  const r = await s.app.inject({ method: 'GET', url });
  return { status: r.statusCode, body: r.json() as Record<string, unknown>, headers: r.headers };
}

async function post(url: string, payload: unknown, s: NcfServer = server) {
  const r = await s.app.inject({ method: 'POST', url, payload: payload as object });
  return { status: r.statusCode, body: r.json() as Record<string, unknown>, headers: r.headers };
}

function expectError(
  r: { status: number; body: Record<string, unknown>; headers: Record<string, unknown> },
  status: number,
  error: string,
  field?: string,
): ErrorBody {
  expect(r.status).toBe(status);
  const body = r.body as unknown as ErrorBody;
  expect(body.error).toBe(error);
  expect(typeof body.message).toBe('string');
  expect(body.requestId).toBe(r.headers['x-request-id']);
  if (field !== undefined) expect(body.field).toBe(field);
  return body;
}

type Items = { item: string; score: number; title?: string }[];

describe('GET /v1/users/{id}/recommendations', () => {
  it("returns k items, best first, none of the user's training items, with titles and the model ref", async () => {
    const r = await get('/v1/users/u3/recommendations?k=5');
    expect(r.status).toBe(200);
    const items = r.body.items as Items;
    expect(items).toHaveLength(5);
    const seen = Array.from(DATA.userItems.subarray(DATA.offsets[3]!, DATA.offsets[4]!), (i) => `i${i}`);
    for (const it of items) expect(seen).not.toContain(it.item);
    for (let i = 1; i < items.length; i++) expect(items[i]!.score).toBeLessThanOrEqual(items[i - 1]!.score);
    expect(items[0]!.title).toBe(`Item ${items[0]!.item.slice(1)}`);
    expect(r.body.model).toEqual({ kind: 'ncf/mf', version: server.holder.current!.version });
    expect(r.body).toMatchObject({ user: 'u3', excludedSeen: true, explained: false });
  });

  it('scores match the model: the top item is the best unseen item of model.score', async () => {
    const model = server.holder.current!.model;
    const n = DATA.numItems;
    const scores = model.score(
      new Int32Array(n).fill(3),
      Int32Array.from({ length: n }, (_, i) => i),
    );
    const seen = new Set(DATA.userItems.subarray(DATA.offsets[3]!, DATA.offsets[4]!));
    let best = -1;
    for (let i = 0; i < n; i++) if (!seen.has(i) && (best < 0 || scores[i]! > scores[best]!)) best = i;
    const r = await get('/v1/users/u3/recommendations?k=1');
    expect((r.body.items as Items)[0]).toMatchObject({ item: `i${best}` });
    expect((r.body.items as Items)[0]!.score).toBeCloseTo(scores[best]!, 5);
  });

  it('excludeSeen=false may return seen items and says so', async () => {
    const r = await get('/v1/users/u3/recommendations?k=20&excludeSeen=false');
    expect(r.body.excludedSeen).toBe(false);
    expect(r.body.items as Items).toHaveLength(20);
  });

  it('answers 404 for an unknown user and 400 for k out of range or a wrong type', async () => {
    expectError(await get('/v1/users/nobody/recommendations'), 404, 'unknown_id', 'params.id');
    const k0 = expectError(await get('/v1/users/u1/recommendations?k=0'), 400, 'invalid_request', 'query.k');
    expect(k0.value).toBe(0);
    expectError(await get('/v1/users/u1/recommendations?k=21'), 400, 'invalid_request', 'query.k');
    expectError(await get('/v1/users/u1/recommendations?k=ten'), 400, 'invalid_request', 'query.k');
    expectError(await get('/v1/users/u1/recommendations?k=1e400'), 400, 'invalid_request', 'query.k');
    expectError(
      await get('/v1/users/u1/recommendations?explain=maybe'),
      400,
      'invalid_request',
      'query.explain',
    );
    expectError(await get('/v1/users/u1/recommendations?kk=3'), 400, 'invalid_request', 'query.kk');
  });
});

describe('POST /v1/recommendations (new user)', () => {
  it("ranks by the model's history scores (hand-computed), rated items excluded, unknown ids skipped", async () => {
    // clusterScores: items of cluster 1 (i % 4 = 1) score 1 + i/1000, the rest i/1000; i1 itself is rated.
    const r = await post('/v1/recommendations', {
      ratings: [{ item: 'i1' }, { item: 'ghost', rating: 1 }],
      k: 3,
    });
    expect(r.status).toBe(200);
    expect((r.body.items as Items).map((x) => x.item)).toEqual(['i29', 'i25', 'i21']);
    expect((r.body.items as Items)[0]!.score).toBeCloseTo(1.029, 5);
    expect(r.body.strategy).toBe('history');
    expect(r.body.skipped).toEqual({ count: 1, ids: ['ghost'] });
  });

  it("unknownItems: 'error' answers 404 naming the rating", async () => {
    const r = await post('/v1/recommendations', {
      ratings: [{ item: 'i1' }, { item: 'ghost' }],
      unknownItems: 'error',
    });
    const body = expectError(r, 404, 'unknown_id', 'body.ratings[1].item');
    expect(body.value).toBe('ghost');
  });

  it('refuses wrong types, unknown fields, too many ratings and non-finite ratings with the field', async () => {
    expectError(
      await post('/v1/recommendations', { ratings: [{ item: 'i1', rating: '5' }] }),
      400,
      'invalid_request',
      'body.ratings[0].rating',
    );
    expectError(await post('/v1/recommendations', { ratings: 'i1' }), 400, 'invalid_request', 'body.ratings');
    expectError(await post('/v1/recommendations', { ratings: [], k: '3' }), 400, 'invalid_request', 'body.k');
    expectError(await post('/v1/recommendations', { rating: [] }), 400, 'invalid_request');
    expectError(
      await post('/v1/recommendations', { ratings: [{ item: 'i1', score: 1 }] }),
      400,
      'invalid_request',
      'body.ratings[0].score',
    );
    const implicit = expectError(
      await post('/v1/recommendations', { ratings: [{ item: 'i1', rating: 2 }] }),
      400,
      'invalid_request',
      'body.ratings[0].rating',
    );
    expect(implicit.message).toContain('[0, 1] (implicit feedback');
    const many = Array.from({ length: 9 }, (_, i) => ({ item: `i${i}` }));
    expectError(await post('/v1/recommendations', { ratings: many }), 400, 'invalid_request', 'body.ratings');
    const inf = await server.app.inject({
      method: 'POST',
      url: '/v1/recommendations',
      headers: { 'content-type': 'application/json' },
      payload: '{"ratings":[{"item":"i1","rating":1e400}]}',
    });
    expectError(
      { status: inf.statusCode, body: inf.json(), headers: inf.headers },
      400,
      'invalid_request',
      'body.ratings[0].rating',
    );
  });

  it("refuses ratings outside the model's scale", async () => {
    const scaled = await trainTinyModel({ seed: 2, epochs: 1, ratingRange: [1, 5] });
    dirs.push(scaled);
    const s = await createServer({ modelDir: scaled, registry: capableRegistry(), logLevel: false });
    try {
      const r = await post(
        '/v1/recommendations',
        {
          ratings: [
            { item: 'i1', rating: 4 },
            { item: 'i2', rating: 6 },
          ],
        },
        s,
      );
      const body = expectError(r, 400, 'invalid_request', 'body.ratings[1].rating');
      expect(body.value).toBe(6);
      expect(body.message).toContain('[1, 5]');
      expect((await post('/v1/recommendations', { ratings: [{ item: 'i1', rating: 5 }] }, s)).status).toBe(
        200,
      );
    } finally {
      await s.close();
    }
  });

  it('answers 501 when the model can neither score a history nor fold one in', async () => {
    const s = await createServer({ modelDir: dir, registry: incapableRegistry(), logLevel: false });
    try {
      const r = expectError(
        await post('/v1/recommendations', { ratings: [{ item: 'i1' }] }, s),
        501,
        'not_implemented',
      );
      expect(r.message).toContain('cannot score a user given by history');
      expectError(await get('/v1/items/i1/similar', s), 501, 'not_implemented');
      expect(((await get('/v1/model', s)).body.capabilities as Record<string, boolean>).newUsers).toBe(false);
      // An empty history needs no capability: the training popularity answers it, labelled.
      const pop = await post('/v1/recommendations', { ratings: [], k: 3 }, s);
      expect(pop.status).toBe(200);
      expect(pop.body.strategy).toBe('popularity');
      const counts = tinyItemCounts();
      const best = [...counts.keys()].sort((a, b) => counts[b]! - counts[a]! || a - b).slice(0, 3);
      expect((pop.body.items as Items).map((x) => x.item)).toEqual(best.map((i) => `i${i}`));
    } finally {
      await s.close();
    }
  });

  it('folds a new user in for plain MF (strategy fold-in), and answers unknown-only ratings by popularity', async () => {
    const s = await createServer({ modelDir: dir, registry: plainRegistry(), logLevel: false });
    try {
      const r = await post('/v1/recommendations', { ratings: [{ item: 'i1' }, { item: 'i5' }], k: 4 }, s);
      expect(r.status).toBe(200);
      expect(r.body.strategy).toBe('fold-in');
      const items = (r.body.items as Items).map((x) => x.item);
      expect(items).toHaveLength(4);
      expect(items).not.toContain('i1');
      expect(items).not.toContain('i5');
      const ghost = await post('/v1/recommendations', { ratings: [{ item: 'ghost' }] }, s);
      expect(ghost.body).toMatchObject({ strategy: 'popularity', skipped: { count: 1, ids: ['ghost'] } });
    } finally {
      await s.close();
    }
  });
});

describe('POST /v1/recommendations:batch', () => {
  it('equals the single-user answers, user by user', async () => {
    const r = await post('/v1/recommendations:batch', { users: ['u0', 'u5', 'u0'], k: 4 });
    expect(r.status).toBe(200);
    const results = r.body.results as { user: string; items: Items }[];
    expect(results.map((x) => x.user)).toEqual(['u0', 'u5', 'u0']);
    for (const res of results) {
      const one = await get(`/v1/users/${res.user}/recommendations?k=4`);
      expect(res.items).toEqual(one.body.items);
    }
  });

  it('names the unknown user and refuses an empty list', async () => {
    const body = expectError(
      await post('/v1/recommendations:batch', { users: ['u0', 'who'] }),
      404,
      'unknown_id',
      'body.users[1]',
    );
    expect(body.value).toBe('who');
    expectError(await post('/v1/recommendations:batch', { users: [] }), 400, 'invalid_request', 'body.users');
  });
});

describe('items', () => {
  it('similar items are the cosine neighbours over the item vectors, the item itself left out', async () => {
    const r = await get('/v1/items/i5/similar?k=3');
    expect(r.status).toBe(200);
    const model = (await loadModel(dir, { registry: plainRegistry() })) as MfModel;
    const q = model.itemEmbedding.variable.arraySync() as number[][];
    model.dispose();
    const cos = (a: number[], b: number[]) =>
      a.reduce((s, x, d) => s + x * b[d]!, 0) / Math.hypot(...a) / Math.hypot(...b);
    const want = q
      .map((v, i) => ({ i, c: cos(q[5]!, v) }))
      .filter((x) => x.i !== 5)
      .sort((a, b) => b.c - a.c)
      .slice(0, 3);
    expect((r.body.items as Items).map((x) => x.item)).toEqual(want.map((x) => `i${x.i}`));
    expect((r.body.items as Items)[0]!.score).toBeCloseTo(want[0]!.c, 4);
    expectError(await get('/v1/items/i999/similar'), 404, 'unknown_id', 'params.id');
  });

  it('searches titles case-insensitively, else external ids', async () => {
    const r = await get('/v1/items?query=SEVENTH');
    expect(r.body).toMatchObject({
      matchedOn: 'title',
      total: 1,
      items: [{ item: 'i7', title: 'The Seventh Seal' }],
    });
    const all = await get('/v1/items?query=item&limit=2');
    expect(all.body.total).toBe(DATA.numItems - 1);
    expect(all.body.items as Items).toHaveLength(2);
    const s = await createServer({ modelDir: dir, registry: plainRegistry(), logLevel: false });
    try {
      const byId = await get('/v1/items?query=i3', s);
      expect(byId.body.matchedOn).toBe('id');
      expect((byId.body.items as Items).map((x) => x.item)).toEqual(['i3', 'i30', 'i31']);
    } finally {
      await s.close();
    }
    expectError(await get('/v1/items?limit=0'), 400, 'invalid_request', 'query.limit');
  });
});

describe('model, health and errors', () => {
  it('describes the model and is ready', async () => {
    const m = await get('/v1/model');
    expect(m.body).toMatchObject({
      kind: 'ncf/mf',
      formatVersion: 1,
      config: { factors: 4 },
      data: { numUsers: DATA.numUsers, numItems: DATA.numItems, titles: true, seenItems: true },
      training: { epochs: 2, seed: 1 },
      capabilities: { newUsers: true, similarItems: true, explanations: false },
    });
    expect((await get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await get('/readyz')).body).toMatchObject({ status: 'ready', model: { kind: 'ncf/mf' } });
  });

  it('malformed JSON is 400, other media types 415, bodies over the limit 413, unknown routes 404', async () => {
    const bad = await server.app.inject({
      method: 'POST',
      url: '/v1/recommendations',
      headers: { 'content-type': 'application/json' },
      payload: '{"ratings": [',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('malformed_json');
    const text = await server.app.inject({
      method: 'POST',
      url: '/v1/recommendations',
      headers: { 'content-type': 'text/plain' },
      payload: 'i1',
    });
    expect([text.statusCode, text.json().error]).toEqual([415, 'unsupported_media_type']);
    const big = await post('/v1/recommendations', { ratings: [{ item: 'x'.repeat(5000) }] });
    expectError(big, 413, 'payload_too_large');
    expectError(await get('/v2/nothing'), 404, 'not_found');
  });

  it('sends no CORS headers by default and the configured origin when enabled', async () => {
    const plain = await server.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'http://a.example' },
    });
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
    const s = await createServer({
      modelDir: dir,
      registry: plainRegistry(),
      logLevel: false,
      cors: ['http://a.example'],
    });
    try {
      const r = await s.app.inject({
        method: 'GET',
        url: '/healthz',
        headers: { origin: 'http://a.example' },
      });
      expect(r.headers['access-control-allow-origin']).toBe('http://a.example');
    } finally {
      await s.close();
    }
  });

  it('fails fast with the model file error when the model directory is bad', async () => {
    const broken = await trainTinyModel({ seed: 3, epochs: 1 });
    dirs.push(broken);
    writeFileSync(path.join(broken, 'model.json'), '{"format": "ncf-model"');
    await expect(
      createServer({ modelDir: broken, registry: plainRegistry(), logLevel: false }),
    ).rejects.toThrow(ModelFileError);
  });
});

describe('hot reload', () => {
  it('swaps to the new model, disposes the old one, and keeps the old one when the new one is bad', async () => {
    const live = await trainTinyModel({ seed: 4, epochs: 1 });
    dirs.push(live);
    const s = await createServer({ modelDir: live, registry: plainRegistry(), logLevel: false });
    try {
      const v1 = s.holder.current!.version;
      const tensors = tf.memory().numTensors;
      // A request in flight holds a lease: the old model survives the swap until it is released.
      const lease = s.holder.acquire();
      await trainTinyModel({ seed: 5, epochs: 1, dir: live });
      const r = await post('/v1/model:reload', undefined, s);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ previous: { version: v1 } });
      const v2 = (r.body.model as { version: string }).version;
      expect(v2).not.toBe(v1);
      expect(tf.memory().numTensors).toBeGreaterThan(tensors);
      lease.release();
      expect(tf.memory().numTensors).toBe(tensors);
      expect(((await get('/readyz', s)).body.model as { version: string }).version).toBe(v2);

      writeFileSync(path.join(live, 'model.json'), 'not json');
      const failed = expectError(await post('/v1/model:reload', undefined, s), 409, 'reload_failed');
      expect(failed.message).toContain('model.json');
      expect(tf.memory().numTensors).toBe(tensors);
      const still = await get('/v1/users/u1/recommendations?k=2&excludeSeen=false', s);
      expect(still.status).toBe(200);
      expect((still.body.model as { version: string }).version).toBe(v2);
    } finally {
      await s.close();
    }
  });

  it('closing disposes every tensor of the served model', async () => {
    const before = tf.memory().numTensors;
    const s = await createServer({ modelDir: dir, registry: plainRegistry(), logLevel: false });
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    await s.close();
    expect(tf.memory().numTensors).toBe(before);
    expect(s.holder.ready).toBe(false);
  });
});
