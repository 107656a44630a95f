import { UnknownIdError } from '@ncf/core';
import { ApiError, unknownIdError } from '../api-error.js';
import { pathId, scoredItems } from '../catalog.js';
import { recommend, recommendBatch, recommendForHistory, type HistoryRating } from '../model-calls.js';
import { modelRef, withModel, type RouteContext, type ServeApp } from '../route-context.js';
import {
  BatchBody,
  BatchResponse,
  IdParams,
  NewUserBody,
  NewUserResponse,
  UserRecsQuery,
  UserRecsResponse,
  errorResponses,
} from '../schemas.js';

/**
 * The recommendation routes: a known user's top-K (`GET /v1/users/{id}/recommendations`), a new user's
 * top-K from ratings (`POST /v1/recommendations`) and many known users at once (`POST /v1/recommendations:batch`).
 */
export function recommendationRoutes(app: ServeApp, { holder, options }: RouteContext): void {
  app.get(
    '/v1/users/:id/recommendations',
    {
      schema: {
        operationId: 'recommendForUser',
        summary: "A known user's top-K items (seen items excluded by default)",
        tags: ['recommendations'],
        params: IdParams,
        querystring: UserRecsQuery(options.maxK),
        response: { 200: UserRecsResponse, ...errorResponses(400, 404, 503) },
      },
    },
    async (request) =>
      withModel(holder, (served) => {
        const { model, catalog } = served;
        const user = pathId(model.info.userIds, request.params.id);
        const excludeSeen = (request.query.excludeSeen ?? true) && catalog.seen !== undefined;
        let rec;
        try {
          rec = recommend(model, user, {
            k: request.query.k ?? options.defaultK,
            excludeSeen,
            ...(catalog.seen ? { seen: catalog.seen } : {}),
          });
        } catch (err) {
          if (err instanceof UnknownIdError) throw unknownIdError(err, 'params.id');
          throw err;
        }
        return {
          model: modelRef(served),
          user: rec.user,
          items: scoredItems(served, rec.items, rec.itemIndices, rec.scores),
          excludedSeen: excludeSeen,
          explained: false,
        };
      }),
  );

  app.post(
    '/v1/recommendations',
    {
      schema: {
        operationId: 'recommendForNewUser',
        summary: 'Top-K items for a new user given by ratings, without retraining',
        description:
          "Scored by the model's history scoring when it has one (`strategy: history`); models that cannot " +
          'score a history answer 501.',
        tags: ['recommendations'],
        body: NewUserBody(options.maxK, options.maxRatings),
        response: { 200: NewUserResponse, ...errorResponses(400, 404, 413, 415, 501, 503) },
      },
    },
    async (request) =>
      withModel(holder, (served) => {
        const { model } = served;
        const body = request.body;
        // Without a rating scale the model learnt implicit feedback: values are confidences in [0, 1] (1 = rated).
        const [lo, hi] = model.info.ratingRange ?? [0, 1];
        body.ratings.forEach((r, i) => {
          const v = r.rating;
          if (v === undefined || (Number.isFinite(v) && v >= lo && v <= hi)) return;
          const scale = model.info.ratingRange ? "the model's rating scale" : 'implicit feedback: 1 = rated';
          throw new ApiError(
            400,
            'invalid_request',
            `body.ratings[${i}].rating must be in [${lo}, ${hi}] (${scale}), got ${v}`,
            {
              field: `body.ratings[${i}].rating`,
              value: v,
            },
          );
        });
        const ratings = body.ratings as HistoryRating[];
        let rec;
        try {
          rec = recommendForHistory(model, ratings, {
            k: body.k ?? options.defaultK,
            excludeRated: body.excludeSeen ?? true,
            unknownItems: body.unknownItems ?? 'skip',
          });
        } catch (err) {
          if (err instanceof UnknownIdError) {
            const at = ratings.findIndex((r) => r.item === err.id);
            throw unknownIdError(err, `body.ratings[${at}].item`);
          }
          throw err;
        }
        return {
          model: modelRef(served),
          strategy: rec.strategy,
          items: scoredItems(served, rec.items, rec.itemIndices, rec.scores),
          skipped: { count: rec.skipped.length, ids: rec.skipped },
          explained: false,
        };
      }),
  );

  app.post(
    '/v1/recommendations::batch',
    {
      schema: {
        operationId: 'recommendForUsers',
        summary: 'Top-K items for many known users in one call',
        tags: ['recommendations'],
        body: BatchBody(options.maxK, options.maxBatchUsers),
        response: { 200: BatchResponse, ...errorResponses(400, 404, 413, 415, 503) },
      },
    },
    async (request) =>
      withModel(holder, (served) => {
        const { model, catalog } = served;
        const { users, k, excludeSeen: wanted } = request.body;
        const excludeSeen = (wanted ?? true) && catalog.seen !== undefined;
        let recs;
        try {
          recs = recommendBatch(model, users, {
            k: k ?? options.defaultK,
            excludeSeen,
            ...(catalog.seen ? { seen: catalog.seen } : {}),
          });
        } catch (err) {
          if (err instanceof UnknownIdError)
            throw unknownIdError(err, `body.users[${users.indexOf(err.id)}]`);
          throw err;
        }
        return {
          model: modelRef(served),
          excludedSeen: excludeSeen,
          results: recs.map((r) => ({
            user: r.user,
            items: scoredItems(served, r.items, r.itemIndices, r.scores),
          })),
        };
      }),
  );
}
