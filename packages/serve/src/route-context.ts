import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { ApiError } from './api-error.js';
import type { ModelHolder, ServedModel } from './model-holder.js';
import type { ResolvedServeOptions } from './serve-options.js';
import type { ModelRef } from './schemas.js';

/** The fastify instance the routes register on (TypeBox-typed requests). */
export type ServeApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What every route module gets: the model holder and the resolved options. */
export interface RouteContext {
  readonly holder: ModelHolder;
  readonly options: ResolvedServeOptions;
}

/** Kind and version of a served model, as every response carries them. */
export function modelRef(served: ServedModel): ModelRef {
  return { kind: served.document.kind, version: served.version };
}

/**
 * Runs `fn` with a lease on the current model, so a reload during the request disposes the old model only
 * after `fn` returns. 503 while no model is loaded.
 */
export function withModel<T>(holder: ModelHolder, fn: (served: ServedModel) => T): T {
  if (!holder.ready) throw new ApiError(503, 'not_ready', 'no model is loaded yet');
  const lease = holder.acquire();
  try {
    return fn(lease.served);
  } finally {
    lease.release();
  }
}
