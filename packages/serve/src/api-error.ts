import { NcfError, UnknownIdError } from '@ncf/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HistoryScoringUnsupportedError, SimilarityUnsupportedError } from './model-calls.js';

/** The JSON body of every error response. */
export interface ErrorBody {
  /** Stable machine-readable code, e.g. `invalid_request`, `unknown_id`, `payload_too_large`. */
  readonly error: string;
  /** What was wrong and what was expected. */
  readonly message: string;
  /** Where: a path into the request, e.g. `query.k`, `body.ratings[3].rating`, `params.id`. */
  readonly field?: string;
  /** The offending value (long strings cut, objects left out). */
  readonly value?: string | number | boolean | null;
  /** The request id, also in the `x-request-id` response header and the logs. */
  readonly requestId: string;
}

/** A request the server refuses: HTTP `status`, a code and where the problem is. */
export class ApiError extends NcfError {
  readonly status: number;
  readonly error: string;
  readonly field: string | undefined;
  readonly value: unknown;
  constructor(
    status: number,
    error: string,
    message: string,
    where: { field?: string; value?: unknown } = {},
  ) {
    super(`HTTP_${status}`, message);
    this.status = status;
    this.error = error;
    this.field = where.field;
    this.value = where.value;
  }
}

const MAX_VALUE_CHARS = 120;

/** A value fit to echo back: primitives only, long strings cut. */
export function echoValue(value: unknown): ErrorBody['value'] | undefined {
  if (typeof value === 'string')
    return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean' || value === null) return value;
  return undefined;
}

/** Maps an unknown id to 404 at `field`. */
export function unknownIdError(err: UnknownIdError, field: string): ApiError {
  return new ApiError(404, 'unknown_id', `${err.message}: the model was not trained on it`, {
    field,
    value: err.id,
  });
}

interface AjvIssue {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
}

function jsonPointerToField(part: string, pointer: string, extra?: string): string {
  let field = part;
  for (const seg of pointer.split('/').slice(1)) {
    const s = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    field += /^\d+$/.test(s) ? `[${s}]` : `.${s}`;
  }
  return extra ? `${field}.${extra}` : field;
}

function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const seg of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

function validationError(err: FastifyError, request: FastifyRequest): ApiError {
  const issue = (err.validation as unknown as AjvIssue[])[0]!;
  const part = err.validationContext ?? 'body';
  const source = {
    body: request.body,
    querystring: request.query,
    params: request.params,
    headers: request.headers,
  }[part];
  const extra =
    issue.keyword === 'required'
      ? String(issue.params.missingProperty)
      : issue.keyword === 'additionalProperties'
        ? String(issue.params.additionalProperty)
        : undefined;
  const field = jsonPointerToField(part === 'querystring' ? 'query' : part, issue.instancePath, extra);
  const what =
    issue.keyword === 'additionalProperties' ? 'is not a known field' : (issue.message ?? 'is invalid');
  return new ApiError(400, 'invalid_request', `${field} ${what}`, {
    field,
    value: extra ? undefined : valueAt(source, issue.instancePath),
  });
}

const FASTIFY_CODES: Readonly<Record<string, [number, string]>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_content_length'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_INVALID_TYPE: [415, 'unsupported_media_type'],
};

/** The {@link ApiError} for any error a route or fastify raised; unexpected ones become a 500. */
export function toApiError(err: unknown, request: FastifyRequest): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof UnknownIdError) return unknownIdError(err, 'id');
  if (err instanceof HistoryScoringUnsupportedError || err instanceof SimilarityUnsupportedError) {
    return new ApiError(501, 'not_implemented', err.message);
  }
  const fe = err as Partial<FastifyError>;
  if (fe.validation) return validationError(fe as FastifyError, request);
  const known = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (known) {
    const message =
      fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
        ? 'the body is not valid JSON, or holds a forbidden __proto__ or constructor.prototype key'
        : (fe.message ?? known[1]);
    return new ApiError(known[0], known[1], message);
  }
  // SyntaxError from the JSON parser (fastify tags it 400) and other client errors fastify raises.
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new ApiError(
      fe.statusCode,
      fe.statusCode === 400 ? 'bad_request' : 'client_error',
      fe.message ?? 'bad request',
    );
  }
  return new ApiError(500, 'internal', 'internal server error (see the server log for this request id)');
}

/** Sends `err` as an {@link ErrorBody}; 5xx are logged with their stack, 4xx at info without the body. */
export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const api = toApiError(err, request);
  if (api.status >= 500 && api.status !== 501 && api.status !== 503)
    request.log.error({ err }, 'request failed');
  else request.log.info({ error: api.error, field: api.field }, api.message);
  const value = echoValue(api.value);
  const body: ErrorBody = {
    error: api.error,
    message: api.message,
    ...(api.field !== undefined ? { field: api.field } : {}),
    ...(value !== undefined ? { value } : {}),
    requestId: String(request.id),
  };
  return reply.status(api.status).type('application/json; charset=utf-8').send(body);
}
