import { ApiError } from '../api-error.js';
import { hasItemFactors } from '../model-calls.js';
import { modelRef, withModel, type RouteContext, type ServeApp } from '../route-context.js';
import { HealthResponse, ModelInfoResponse, ReloadResponse, errorResponses } from '../schemas.js';

/**
 * Health, metadata and lifecycle routes: `/healthz` (the process answers), `/readyz` (a model is loaded),
 * `GET /v1/model` (what is served) and `POST /v1/model:reload` (load the model directory again and swap).
 */
export function modelRoutes(app: ServeApp, { holder, options }: RouteContext): void {
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'live',
        summary: 'Liveness: the process answers',
        tags: ['health'],
        response: { 200: HealthResponse },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'ready',
        summary: 'Readiness: a model is loaded (503 before that and while shutting down)',
        tags: ['health'],
        response: { 200: HealthResponse, ...errorResponses(503) },
      },
    },
    async () => {
      const served = holder.ready ? holder.current : undefined;
      if (!served) throw new ApiError(503, 'not_ready', 'no model is loaded');
      return { status: 'ready', model: modelRef(served) };
    },
  );

  app.get(
    '/v1/model',
    {
      schema: {
        operationId: 'modelInfo',
        summary: 'The served model: kind, version, config, data sizes, training metadata, library versions',
        tags: ['model'],
        response: { 200: ModelInfoResponse, ...errorResponses(503) },
      },
    },
    async () =>
      withModel(holder, (served) => {
        const { document, model, catalog } = served;
        const capable = model as { scoreHistory?: unknown };
        return {
          kind: document.kind,
          version: served.version,
          formatVersion: document.formatVersion,
          savedAt: document.savedAt,
          loadedAt: served.loadedAt,
          config: document.config,
          data: {
            numUsers: model.info.numUsers,
            numItems: model.info.numItems,
            ...(model.info.ratingRange ? { ratingRange: [...model.info.ratingRange] } : {}),
            titles: catalog.itemTitles !== undefined,
            seenItems: catalog.seen !== undefined,
          },
          training: { ...document.training },
          versions: { ...document.versions },
          capabilities: {
            newUsers: typeof capable.scoreHistory === 'function',
            similarItems: hasItemFactors(model),
            explanations: false,
          },
        };
      }),
  );

  if (options.reloadEndpoint) {
    app.post(
      '/v1/model::reload',
      {
        schema: {
          operationId: 'reloadModel',
          summary:
            'Load the model directory again and swap atomically; a bad model leaves the old one serving',
          description:
            'Reads only the directory the server was started with (never one named by the request). A model ' +
            'that fails to load answers 409 with the reason, and the previous model keeps serving.',
          tags: ['model'],
          response: { 200: ReloadResponse, ...errorResponses(409, 503) },
        },
      },
      async (request) => {
        const before = holder.current;
        try {
          const served = await holder.reload();
          request.log.info({ version: served.version, previous: before?.version }, 'model reloaded');
          return { model: modelRef(served), previous: before ? modelRef(before) : null };
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          request.log.warn({ reason: why }, 'reload failed; the previous model keeps serving');
          throw new ApiError(409, 'reload_failed', `reload failed, the previous model keeps serving: ${why}`);
        }
      },
    );
  }
}
