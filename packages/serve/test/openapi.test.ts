import { rmSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type NcfServer } from '../src/index.js';
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
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>>;
}

/** A valid request for every operation of the document (keyed `METHOD path`, paths as the document has them). */
const EXAMPLES: Record<string, { url: string; payload?: object }> = {
  'GET /v1/users/{id}/recommendations': {
    url: '/v1/users/u2/recommendations?k=3&explain=false&excludeSeen=true',
  },
  'POST /v1/recommendations': {
    url: '/v1/recommendations',
    payload: { ratings: [{ item: 'i2', rating: 1 }], k: 3 },
  },
  'POST /v1/recommendations:batch': {
    url: '/v1/recommendations:batch',
    payload: { users: ['u1', 'u2'], k: 2 },
  },
  'GET /v1/items/{id}/similar': { url: '/v1/items/i2/similar?k=3' },
  'GET /v1/items': { url: '/v1/items?query=item&limit=3' },
  'GET /healthz': { url: '/healthz' },
  'GET /readyz': { url: '/readyz' },
  'GET /v1/model': { url: '/v1/model' },
  'POST /v1/model:reload': { url: '/v1/model:reload' },
};

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3 document (by a maintained validator)', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const result = await new Validator().validate(res.json() as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // The validator does reject a broken document (so the check above can fail).
    const broken = await new Validator().validate({ openapi: '3.0.3', info: { title: 'x' }, paths: 5 });
    expect(broken.valid).toBe(false);
  });

  it('lists exactly the routes exercised here, and each answers a documented 200', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDoc;
    expect(doc.openapi).toMatch(/^3\./);
    const operations = Object.entries(doc.paths).flatMap(([p, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(operations.sort()).toEqual(Object.keys(EXAMPLES).sort());
    for (const op of operations) {
      const [method, p] = op.split(' ') as [string, string];
      const spec = doc.paths[p]![method.toLowerCase()]!;
      expect(spec.operationId, op).toBeTruthy();
      expect(Object.keys(spec.responses), op).toContain('200');
      const ex = EXAMPLES[op]!;
      const r = await server.app.inject({
        method: method as 'GET' | 'POST',
        url: ex.url,
        ...(ex.payload ? { payload: ex.payload } : {}),
      });
      expect(r.statusCode, `${op}: ${r.body.slice(0, 200)}`).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
    }
  });

  it('documents the error body on the 4xx answers', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDoc & {
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['ErrorBody', 'ModelRef']));
    const notFound = doc.paths['/v1/users/{id}/recommendations']!.get!.responses['404'] as {
      content: { 'application/json': { schema: { $ref: string } } };
    };
    expect(notFound.content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorBody');
  });
});
