import type { CatalogItem, RecommendationList, RecommendationSource, StarRating } from './source.js';
import { starsToModelRating } from './source.js';

/** An error of the HTTP API, in words for the page (the API's own message when it sent one). */
export class ApiCallError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

async function call<T>(base: string, path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(new URL(path, base), init);
  } catch (err) {
    throw new ApiCallError(
      `The recommendation server at ${base} cannot be reached (${(err as Error).message}). Is \`ncf serve\` running?`,
    );
  }
  const body = (await res.json().catch(() => undefined)) as { message?: string } | undefined;
  if (!res.ok) {
    throw new ApiCallError(
      `The server refused ${init?.method ?? 'GET'} ${path.split('?')[0]}: ${body?.message ?? `HTTP ${res.status}`}`,
      res.status,
    );
  }
  return body as T;
}

interface ModelInfo {
  readonly kind: string;
  readonly config?: Record<string, unknown>;
  readonly data?: { numUsers?: number; numItems?: number; ratingRange?: [number, number] };
  readonly training?: { data?: unknown };
}

interface NewUserAnswer {
  readonly strategy: string;
  readonly items: { item: string | number; title?: string; score: number; because?: CatalogItem[] }[];
  readonly skipped: { count: number; ids: (string | number)[] };
}

/** The data of a model as recorded by `ncf train` (`"ml-100k"`, or `{source: 'synthetic', …}`) in words. */
export function dataName(data: unknown): string | undefined {
  if (data === undefined || data === null) return undefined;
  if (typeof data !== 'object') return String(data);
  const d = data as Record<string, unknown>;
  const name = d.variant ?? d.name ?? d.source ?? d.dir;
  return typeof name === 'string' ? name : JSON.stringify(data);
}

/** Names the model and its data in one line (shared by both sources). */
export function describeModel(
  kind: string,
  data: unknown,
  numUsers: number | undefined,
  numItems: number | undefined,
  where: string,
): string {
  const dataText = dataName(data);
  const sizes = numItems !== undefined ? `${numUsers ?? '?'} users × ${numItems} items` : '';
  return `Model: ${kind}${dataText ? `, trained on ${dataText}` : ''}${sizes ? ` (${sizes})` : ''} · ${where}`;
}

/**
 * Server mode: `ncf serve`'s HTTP API (`GET /v1/model`, `GET /v1/items?query=`, `POST /v1/recommendations`),
 * by default at the page's own origin (`ncf serve --web`).
 */
export async function serverSource(base: string): Promise<RecommendationSource> {
  const info = await call<ModelInfo>(base, 'v1/model');
  const range = info.data?.ratingRange;
  return {
    mode: 'server',
    description: describeModel(
      info.kind,
      info.training?.data,
      info.data?.numUsers,
      info.data?.numItems,
      `scored by the server at ${base}`,
    ),
    async search(query, limit) {
      const q = new URLSearchParams({ query, limit: String(limit) });
      const res = await call<{ items: { item: string | number; title?: string }[] }>(base, `v1/items?${q}`);
      return res.items.map((i) => (i.title === undefined ? { id: i.item } : { id: i.item, title: i.title }));
    },
    async recommend(ratings: readonly StarRating[], k: number): Promise<RecommendationList> {
      const body = {
        ratings: ratings.map((r) => ({ item: r.id, rating: starsToModelRating(r.stars, range) })),
        k,
      };
      const res = await call<NewUserAnswer>(base, 'v1/recommendations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return {
        strategy: res.strategy,
        skipped: res.skipped.ids,
        items: res.items.map((i) => ({
          id: i.item,
          score: i.score,
          ...(i.title !== undefined ? { title: i.title } : {}),
          ...(i.because ? { because: i.because } : {}),
        })),
      };
    },
  };
}
