/**
 * TypeBox schemas of every request and response: fastify validates requests with them and the OpenAPI
 * document (@fastify/swagger) is generated from them, so the document cannot drift from what is enforced.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** An external user or item id: a string or a number, as in the model's id maps. */
export const ExternalIdSchema = Type.Union([Type.String({ maxLength: 256 }), Type.Number()], {
  description: 'External user or item id, as in the training data (string or number).',
});

/** The JSON body of every 4xx and 5xx response. */
export const ErrorBodySchema = Type.Object(
  {
    error: Type.String({ description: 'Stable code, e.g. invalid_request, unknown_id, payload_too_large' }),
    message: Type.String(),
    field: Type.Optional(
      Type.String({ description: 'Where in the request, e.g. query.k or body.ratings[2].item' }),
    ),
    value: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
    requestId: Type.String(),
  },
  { $id: 'ErrorBody' },
);

/** Kind and version of the model that answered. */
export const ModelRefSchema = Type.Object(
  {
    kind: Type.String({ description: 'Registry kind, e.g. ncf/neumf' }),
    version: Type.String({ description: 'Content hash of model.json: changes with every new model' }),
  },
  { $id: 'ModelRef' },
);

/** An item driving a recommendation, with its weight. */
export const BecauseSchema = Type.Object({ item: ExternalIdSchema, weight: Type.Number() });

/** A recommended (or similar, or found) item. */
export const ScoredItemSchema = Type.Object(
  {
    item: ExternalIdSchema,
    score: Type.Number(),
    title: Type.Optional(Type.String()),
    because: Type.Optional(Type.Array(BecauseSchema)),
  },
  { $id: 'ScoredItem' },
);

const ref = (s: TSchema & { $id?: string }): TSchema => Type.Ref(s.$id!);

/** Schemas every route refers to by `$ref`; registered once with `fastify.addSchema`. */
export const SHARED_SCHEMAS = [ErrorBodySchema, ModelRefSchema, ScoredItemSchema] as const;

/** Error responses shared by the routes. */
export function errorResponses(...codes: number[]): Record<number, TSchema> {
  return Object.fromEntries(codes.map((c) => [c, ref(ErrorBodySchema)]));
}

/** Querystring of `GET /v1/users/{id}/recommendations`. */
export const UserRecsQuery = (maxK: number) =>
  Type.Object(
    {
      k: Type.Optional(Type.Integer({ minimum: 1, maximum: maxK })),
      explain: Type.Optional(Type.Boolean({ default: false })),
      excludeSeen: Type.Optional(Type.Boolean({ default: true })),
    },
    { additionalProperties: false },
  );

/** Path of routes taking one id. */
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });

/** Response of the known-user recommendation routes. */
export const UserRecsResponse = Type.Object({
  model: ref(ModelRefSchema),
  user: ExternalIdSchema,
  items: Type.Array(ref(ScoredItemSchema)),
  excludedSeen: Type.Boolean({ description: "Whether the user's seen items were left out" }),
  explained: Type.Boolean({ description: 'Whether items carry `because` (only when the model gives them)' }),
});

/** Body of `POST /v1/recommendations` (a new user known by ratings). */
export const NewUserBody = (maxK: number, maxRatings: number) =>
  Type.Object(
    {
      ratings: Type.Array(
        Type.Object(
          { item: ExternalIdSchema, rating: Type.Optional(Type.Number()) },
          { additionalProperties: false },
        ),
        { maxItems: maxRatings, description: `At most ${maxRatings} ratings` },
      ),
      k: Type.Optional(Type.Integer({ minimum: 1, maximum: maxK })),
      explain: Type.Optional(Type.Boolean()),
      excludeSeen: Type.Optional(Type.Boolean({ description: 'Leave the rated items out (default true)' })),
      unknownItems: Type.Optional(
        Type.Union([Type.Literal('skip'), Type.Literal('error')], {
          description: "Ratings of unknown items: 'skip' (counted in `skipped`, default) or 'error' (404)",
        }),
      ),
    },
    { additionalProperties: false },
  );

/** Response of `POST /v1/recommendations`. */
export const NewUserResponse = Type.Object({
  model: ref(ModelRefSchema),
  strategy: Type.Union([Type.Literal('history'), Type.Literal('fold-in'), Type.Literal('popularity')], {
    description: "How the new user was scored: the model's own history scoring, fold-in, or popularity",
  }),
  items: Type.Array(ref(ScoredItemSchema)),
  skipped: Type.Object({ count: Type.Integer(), ids: Type.Array(ExternalIdSchema) }),
  explained: Type.Boolean(),
});

/** Body of `POST /v1/recommendations:batch`. */
export const BatchBody = (maxK: number, maxUsers: number) =>
  Type.Object(
    {
      users: Type.Array(ExternalIdSchema, { minItems: 1, maxItems: maxUsers }),
      k: Type.Optional(Type.Integer({ minimum: 1, maximum: maxK })),
      excludeSeen: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  );

/** Response of `POST /v1/recommendations:batch`. */
export const BatchResponse = Type.Object({
  model: ref(ModelRefSchema),
  excludedSeen: Type.Boolean(),
  results: Type.Array(Type.Object({ user: ExternalIdSchema, items: Type.Array(ref(ScoredItemSchema)) })),
});

/** Querystring of `GET /v1/items/{id}/similar`. */
export const SimilarQuery = (maxK: number) =>
  Type.Object(
    { k: Type.Optional(Type.Integer({ minimum: 1, maximum: maxK })) },
    { additionalProperties: false },
  );

/** Response of `GET /v1/items/{id}/similar`. */
export const SimilarResponse = Type.Object({
  model: ref(ModelRefSchema),
  item: ExternalIdSchema,
  items: Type.Array(ref(ScoredItemSchema)),
});

/** Querystring of `GET /v1/items`. */
export const SearchQuery = (maxK: number) =>
  Type.Object(
    {
      query: Type.Optional(
        Type.String({ maxLength: 200, description: 'Case-insensitive substring of the title (or id)' }),
      ),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxK })),
    },
    { additionalProperties: false },
  );

/** Response of `GET /v1/items`. */
export const SearchResponse = Type.Object({
  model: ref(ModelRefSchema),
  matchedOn: Type.Union([Type.Literal('title'), Type.Literal('id')]),
  total: Type.Integer({ description: 'Matches in the catalogue (the response holds at most `limit`)' }),
  items: Type.Array(Type.Object({ item: ExternalIdSchema, title: Type.Optional(Type.String()) })),
});

/** Response of `GET /v1/model`. */
export const ModelInfoResponse = Type.Object({
  kind: Type.String(),
  version: Type.String(),
  formatVersion: Type.Integer(),
  savedAt: Type.String(),
  loadedAt: Type.String(),
  config: Type.Record(Type.String(), Type.Unknown()),
  data: Type.Object({
    numUsers: Type.Integer(),
    numItems: Type.Integer(),
    ratingRange: Type.Optional(Type.Array(Type.Number())),
    titles: Type.Boolean(),
    seenItems: Type.Boolean(),
  }),
  training: Type.Record(Type.String(), Type.Unknown()),
  versions: Type.Record(Type.String(), Type.String()),
  capabilities: Type.Object({
    newUsers: Type.Boolean(),
    similarItems: Type.Boolean(),
    explanations: Type.Boolean(),
  }),
});

/** Response of `POST /v1/model:reload`. */
export const ReloadResponse = Type.Object({
  model: ref(ModelRefSchema),
  previous: Type.Union([ref(ModelRefSchema), Type.Null()]),
});

/** Response of `/healthz` and `/readyz`. */
export const HealthResponse = Type.Object({
  status: Type.String(),
  model: Type.Optional(ref(ModelRefSchema)),
});

export type ScoredItem = Static<typeof ScoredItemSchema>;
export type ModelRef = Static<typeof ModelRefSchema>;
