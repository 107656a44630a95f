import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv, type Options as AjvOptions } from 'ajv';
import Fastify from 'fastify';
import { ApiError, sendError } from './api-error.js';
import { ModelHolder, type ServedModel } from './model-holder.js';
import type { RouteContext, ServeApp } from './route-context.js';
import { itemRoutes } from './routes/item-routes.js';
import { modelRoutes } from './routes/model-routes.js';
import { recommendationRoutes } from './routes/recommendation-routes.js';
import { SHARED_SCHEMAS } from './schemas.js';
import { resolveServeOptions, type ResolvedServeOptions, type ServeOptions } from './serve-options.js';

/** A created server: the fastify app (for `inject` in tests), its model holder and lifecycle methods. */
export interface NcfServer {
  readonly app: ServeApp;
  readonly holder: ModelHolder;
  readonly options: ResolvedServeOptions;
  /** Starts listening on `options.host:options.port`; resolves to the address, e.g. `http://127.0.0.1:8080`. */
  listen(): Promise<string>;
  /** Loads the model directory again and swaps it in (what `POST /v1/model:reload` and SIGHUP do). */
  reload(): Promise<ServedModel>;
  /** Stops accepting connections, waits for in-flight requests, then disposes the model. Idempotent. */
  close(): Promise<void>;
}

function serveVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * One Ajv per coercion mode: query strings and path parameters are text, so `k=10` must become 10; JSON
 * bodies are typed already, so `"k": "10"` is a wrong type and must be refused, not coerced. Unknown fields
 * are refused (never silently dropped) so a misspelt option is reported.
 */
function validators(): { body: Ajv; text: Ajv } {
  const base: AjvOptions = { allErrors: false, removeAdditional: false, useDefaults: false, strict: false };
  return { body: new Ajv({ ...base, coerceTypes: false }), text: new Ajv({ ...base, coerceTypes: true }) };
}

/**
 * Creates the HTTP API over the model in `options.modelDir`: loads it first (a bad model file throws its
 * {@link ModelFileError}, so a server never starts without a model), then builds a fastify app with
 * TypeBox-validated routes, an OpenAPI 3 document at `/openapi.json`, JSON error bodies for every failure,
 * request ids, optional CORS and the configured limits. Does not listen until {@link NcfServer.listen}.
 */
export async function createServer(options: ServeOptions): Promise<NcfServer> {
  const o = resolveServeOptions(options);
  const holder = new ModelHolder(o.modelDir, {
    registry: o.registry,
    ...(o.loadCatalog ? { loadCatalog: o.loadCatalog } : {}),
  });
  await holder.load();

  const app = Fastify({
    logger: o.logLevel === false ? false : { level: o.logLevel },
    bodyLimit: o.maxBodyBytes,
    genReqId: () => randomUUID(),
    // Client-sent ids are not trusted: they would let a caller forge log lines of other requests.
    requestIdHeader: false,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ajv = validators();
  for (const s of SHARED_SCHEMAS) {
    ajv.body.addSchema(s);
    ajv.text.addSchema(s);
    app.addSchema(s);
  }
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? ajv.body : ajv.text).compile(schema),
  );
  // Only JSON bodies: a text/plain body would otherwise reach validation as a string.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      new ApiError(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
      request,
      reply,
    ),
  );

  if (o.cors !== false) {
    await app.register(cors, {
      origin: typeof o.cors === 'boolean' ? o.cors : (o.cors as string | string[]),
    });
  }
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '@ncf/serve',
        version: serveVersion(),
        description: 'Recommendations from a saved @ncf model. Every error answers with an ErrorBody.',
      },
      tags: [{ name: 'recommendations' }, { name: 'items' }, { name: 'model' }, { name: 'health' }],
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
  });

  const ctx: RouteContext = { holder, options: o };
  await app.register(async (scope) => {
    const typed = scope as unknown as ServeApp;
    recommendationRoutes(typed, ctx);
    itemRoutes(typed, ctx);
    modelRoutes(typed, ctx);
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.addHook('onClose', async () => {
    await holder.close();
  });
  await app.ready();

  let closing: Promise<void> | undefined;
  return {
    app,
    holder,
    options: o,
    listen: () => app.listen({ host: o.host, port: o.port }),
    reload: () => holder.reload(),
    close: () => (closing ??= app.close()),
  };
}
