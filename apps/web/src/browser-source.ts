import {
  ModelRegistry,
  fetchModel,
  initBrowserBackend,
  recommendForHistory,
  type Recommender,
} from '@ncf/core/browser';
import { registerGnnModels } from '@ncf/models-gnn';
import { registerNcfModels } from '@ncf/models-ncf';
import { describeModel } from './server-source.js';
import type { CatalogItem, RecommendationList, RecommendationSource, StarRating } from './source.js';
import { starsToModelRating } from './source.js';

/** `ncf-web.json`, written by `ncf export-web`: the page runs in-browser from these files. */
export interface SiteConfig {
  readonly mode: 'browser';
  readonly model: string;
  readonly catalog: string;
  readonly data?: unknown;
}

interface CatalogEntry extends CatalogItem {
  readonly popularity: number;
}

async function fetchJson<T>(url: string, what: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(`The ${what} (${url}) cannot be fetched: ${(err as Error).message}`);
  }
  if (!res.ok) throw new Error(`The ${what} (${url}) answered HTTP ${res.status}`);
  try {
    return (await res.json()) as T;
  } catch (err) {
    throw new Error(`The ${what} (${url}) is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * In-browser mode: the exported model files are fetched and rebuilt with \@ncf/core's browser entry, and every
 * recommendation is computed in the page by core's `recommendForHistory` — the function the server runs — on
 * tfjs's wasm backend. Only static files are fetched.
 */
export async function browserSource(config: SiteConfig, pageUrl: string): Promise<RecommendationSource> {
  const base = new URL('.', pageUrl);
  const backend = await initBrowserBackend({ wasmPaths: new URL('wasm/', base).href });
  const registry = registerGnnModels(registerNcfModels(new ModelRegistry()));
  const [loaded, catalog] = await Promise.all([
    fetchModel(new URL(config.model, base).href, { registry }),
    fetchJson<{ items: CatalogEntry[] }>(new URL(config.catalog, base).href, 'catalogue'),
  ]);
  const model: Recommender = loaded.model;
  const byId = new Map(catalog.items.map((c) => [c.id, c]));
  const range = model.info.ratingRange;
  const training = loaded.document.training as { data?: unknown };
  const popular = [...catalog.items].sort((a, b) => b.popularity - a.popularity);
  const titled = (id: string | number): CatalogItem => {
    const title = byId.get(id)?.title;
    return title === undefined ? { id } : { id, title };
  };
  return {
    mode: 'browser',
    description: describeModel(
      loaded.document.kind,
      config.data ?? training.data,
      model.info.numUsers,
      model.info.numItems,
      `computed in your browser (${backend.name})`,
    ),
    async search(query, limit) {
      const q = query.trim().toLowerCase();
      const out: CatalogItem[] = [];
      for (const c of catalog.items) {
        if (out.length >= limit) break;
        const text = (c.title ?? String(c.id)).toLowerCase();
        if (q === '' || text.includes(q)) out.push(titled(c.id));
      }
      return out;
    },
    async recommend(ratings: readonly StarRating[], k: number): Promise<RecommendationList> {
      const history = ratings.map((r) => ({ item: r.id, rating: starsToModelRating(r.stars, range) }));
      if (history.length === 0 && model.info.itemCounts === undefined) {
        // Older model files carry no training counts: the catalogue's popularity stands in.
        const items = popular.slice(0, k).map((c) => ({ ...titled(c.id), score: c.popularity }));
        return { items, strategy: 'popularity', skipped: [] };
      }
      const rec = recommendForHistory(model, history, { k, unknownItems: 'skip' });
      return {
        strategy: rec.strategy,
        skipped: rec.skipped,
        items: rec.items.map((id, r) => ({ ...titled(id), score: rec.scores[r]! })),
      };
    },
  };
}
