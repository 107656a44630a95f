import { UnknownIdError } from '@ncf/core';
import { unknownIdError } from '../api-error.js';
import { pathId, scoredItems, searchItems } from '../catalog.js';
import { similarItems } from '../model-calls.js';
import { modelRef, withModel, type RouteContext, type ServeApp } from '../route-context.js';
import {
  IdParams,
  SearchQuery,
  SearchResponse,
  SimilarQuery,
  SimilarResponse,
  errorResponses,
} from '../schemas.js';

/** Item routes: similar items (`GET /v1/items/{id}/similar`) and catalogue search (`GET /v1/items`). */
export function itemRoutes(app: ServeApp, { holder, options }: RouteContext): void {
  app.get(
    '/v1/items/:id/similar',
    {
      schema: {
        operationId: 'similarItems',
        summary: 'Items most similar to an item (cosine over the model’s item vectors)',
        description: 'Answers 501 for models that give no item vectors (`itemFactors()`).',
        tags: ['items'],
        params: IdParams,
        querystring: SimilarQuery(options.maxK),
        response: { 200: SimilarResponse, ...errorResponses(400, 404, 501, 503) },
      },
    },
    async (request) =>
      withModel(holder, (served) => {
        const { info } = served.model;
        const item = pathId(info.itemIds, request.params.id);
        let sim;
        try {
          sim = similarItems(served.model, item, { k: request.query.k ?? options.defaultK });
        } catch (err) {
          if (err instanceof UnknownIdError) throw unknownIdError(err, 'params.id');
          throw err;
        }
        return {
          model: modelRef(served),
          item,
          items: scoredItems(served, sim.items, sim.itemIndices, sim.scores),
        };
      }),
  );

  app.get(
    '/v1/items',
    {
      schema: {
        operationId: 'searchItems',
        summary: 'Search the catalogue by title (by external id when the model has no titles)',
        tags: ['items'],
        querystring: SearchQuery(options.maxK),
        response: { 200: SearchResponse, ...errorResponses(400, 503) },
      },
    },
    async (request) =>
      withModel(holder, (served) => {
        const found = searchItems(served, request.query.query ?? '', request.query.limit ?? options.defaultK);
        return { model: modelRef(served), ...found };
      }),
  );
}
