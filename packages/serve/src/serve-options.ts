import { ConfigError, type ModelRegistry } from '@ncf/core';
import type { CatalogLoader } from './model-holder.js';

/** Cross-origin settings: off unless origins are listed (`true` allows every origin, for local tools only). */
export type CorsSetting = false | true | string | readonly string[];

/** Options of {@link createServer}. */
export interface ServeOptions {
  /** The model directory (written by `ncf train` / `saveModel`); reloads read it again. */
  readonly modelDir: string;
  /** Where to find the factory of the model file's kind (the CLI's registry). */
  readonly registry: ModelRegistry;
  /** Titles and seen items of the model's data (see {@link CatalogLoader}). Default: none. */
  readonly loadCatalog?: CatalogLoader;
  /** Interface to listen on. Default `127.0.0.1` (not reachable from other machines). */
  readonly host?: string;
  /** TCP port; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** `k` when a request gives none. Default 10. */
  readonly defaultK?: number;
  /** Largest `k` (and `limit`) a request may ask for. Default 100. */
  readonly maxK?: number;
  /** Largest request body in bytes; larger bodies get 413. Default 262144 (256 KiB). */
  readonly maxBodyBytes?: number;
  /** Most ratings in one new-user request. Default 500. */
  readonly maxRatings?: number;
  /** Most users in one batch request. Default 100. */
  readonly maxBatchUsers?: number;
  /** Allowed CORS origins. Default false (no CORS headers: browsers refuse cross-origin calls). */
  readonly cors?: CorsSetting;
  /** Log level of fastify's pino logger, or false for no logs. Default 'info' (no bodies are logged). */
  readonly logLevel?: false | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** Whether `POST /v1/model:reload` is served. Default true (the CLI also reloads on SIGHUP). */
  readonly reloadEndpoint?: boolean;
}

/** Defaults of {@link ServeOptions}. */
export const SERVE_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 8080,
  defaultK: 10,
  maxK: 100,
  maxBodyBytes: 262_144,
  maxRatings: 500,
  maxBatchUsers: 100,
  cors: false as CorsSetting,
  logLevel: 'info' as NonNullable<ServeOptions['logLevel']>,
  reloadEndpoint: true,
});

/** {@link ServeOptions} with every default filled in. */
export type ResolvedServeOptions = Required<Omit<ServeOptions, 'loadCatalog'>> &
  Pick<ServeOptions, 'loadCatalog'>;

function positiveInt(value: number, field: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ConfigError(`${field} must be an integer in 1..${max}, got ${JSON.stringify(value)}`, field);
  }
  return value;
}

/** Fills defaults and checks ranges; throws {@link ConfigError} naming the field. */
export function resolveServeOptions(options: ServeOptions): ResolvedServeOptions {
  if (typeof options.modelDir !== 'string' || options.modelDir === '') {
    throw new ConfigError('modelDir must be a non-empty path', 'modelDir');
  }
  if (!options.registry)
    throw new ConfigError('registry is required (where model kinds are found)', 'registry');
  const o = { ...SERVE_DEFAULTS, ...stripUndefined(options) };
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
    throw new ConfigError(`port must be an integer in 0..65535, got ${JSON.stringify(o.port)}`, 'port');
  }
  if (typeof o.host !== 'string' || o.host === '')
    throw new ConfigError('host must be a non-empty string', 'host');
  positiveInt(o.maxK, 'maxK', 10_000);
  positiveInt(o.defaultK, 'defaultK', o.maxK);
  positiveInt(o.maxBodyBytes, 'maxBodyBytes');
  positiveInt(o.maxRatings, 'maxRatings', 100_000);
  positiveInt(o.maxBatchUsers, 'maxBatchUsers', 10_000);
  return o as ResolvedServeOptions;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
