import './style.css';
import { browserSource, type SiteConfig } from './browser-source.js';
import { RatingsStore, storageKey } from './ratings-store.js';
import { serverSource } from './server-source.js';
import type { CatalogItem, RecommendationSource } from './source.js';
import { ratedRow, recommendationRow, resultRow } from './view.js';

const K = 10;
const SEARCH_LIMIT = 12;

function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page has no #${id}`);
  return e as T;
}

const ui = {
  modelLine: byId<HTMLParagraphElement>('model-line'),
  error: byId<HTMLDivElement>('error'),
  search: byId<HTMLInputElement>('search'),
  results: byId<HTMLUListElement>('results'),
  rated: byId<HTMLUListElement>('rated'),
  clear: byId<HTMLButtonElement>('clear'),
  recsNote: byId<HTMLParagraphElement>('recs-note'),
  recs: byId<HTMLOListElement>('recs'),
};

function showError(message: string | undefined): void {
  ui.error.hidden = message === undefined;
  ui.error.textContent = message ?? '';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** In-browser when the folder has `ncf-web.json` (written by `ncf export-web`), else the API at `?api=` or here. */
async function openSource(): Promise<RecommendationSource> {
  const page = window.location.href;
  const api = new URLSearchParams(window.location.search).get('api');
  if (api) return serverSource(new URL(api.endsWith('/') ? api : `${api}/`, page).href);
  const res = await fetch(new URL('ncf-web.json', page)).catch(() => undefined);
  if (res?.ok) {
    const config = (await res.json()) as SiteConfig;
    if (config.mode === 'browser') return browserSource(config, page);
  }
  return serverSource(new URL('.', page).href);
}

async function start(): Promise<void> {
  let source: RecommendationSource;
  try {
    source = await openSource();
  } catch (err) {
    ui.modelLine.textContent = 'No model loaded.';
    showError(`The model failed to load: ${messageOf(err)}`);
    return;
  }
  document.body.dataset.mode = source.mode;
  ui.modelLine.textContent = source.description;
  const store = new RatingsStore(window.localStorage, storageKey(window.location.href));
  let lastResults: CatalogItem[] = [];
  let generation = 0;

  const rate = (item: CatalogItem, stars: number): void => {
    store.set({ ...item, stars });
    renderAll();
  };

  function renderResults(): void {
    ui.results.replaceChildren(
      ...lastResults.map((item) => resultRow(item, store.stars(item.id), (s) => rate(item, s))),
    );
  }

  function renderRated(): void {
    const rows = store.all().map((r) =>
      ratedRow(
        r,
        (s) => rate(r, s),
        () => {
          store.remove(r.id);
          renderAll();
        },
      ),
    );
    ui.rated.replaceChildren(...rows);
    ui.clear.disabled = rows.length === 0;
  }

  async function renderRecommendations(): Promise<void> {
    const mine = ++generation;
    ui.recs.setAttribute('aria-busy', 'true');
    try {
      const list = await source.recommend(store.all(), K);
      if (mine !== generation) return;
      showError(undefined);
      const rated = store.all().length;
      ui.recsNote.textContent =
        list.strategy === 'popularity'
          ? rated === 0
            ? 'Popular movies to start with: rate a few to get your own list.'
            : 'None of your rated movies is known to this model: popular movies instead.'
          : `From your ${rated} rating${rated === 1 ? '' : 's'} (${list.strategy}).` +
            (list.skipped.length
              ? ` ${list.skipped.length} rated movie(s) unknown to the model were left out.`
              : '');
      ui.recs.replaceChildren(...list.items.map((r, i) => recommendationRow(r, i + 1)));
      ui.recs.dataset.strategy = list.strategy;
      document.body.dataset.ready = 'true';
      if (!document.body.dataset.firstRecsMs) {
        // performance.now() counts from navigation start: this is load-to-first-list.
        document.body.dataset.firstRecsMs = String(Math.round(performance.now()));
      }
    } catch (err) {
      if (mine !== generation) return;
      const rated = store.all().length;
      ui.recs.replaceChildren();
      if (rated === 0) {
        ui.recsNote.textContent = 'Rate a few movies to get recommendations.';
        document.body.dataset.ready = 'true';
      } else {
        ui.recsNote.textContent = '';
        showError(`No recommendations: ${messageOf(err)}`);
      }
    } finally {
      if (mine === generation) ui.recs.removeAttribute('aria-busy');
    }
  }

  function renderAll(): void {
    renderResults();
    renderRated();
    void renderRecommendations();
  }

  let searchTimer: number | undefined;
  let searchGeneration = 0;
  const runSearch = async (): Promise<void> => {
    const mine = ++searchGeneration;
    try {
      const found = await source.search(ui.search.value, SEARCH_LIMIT);
      if (mine !== searchGeneration) return;
      lastResults = found;
      renderResults();
      ui.results.dataset.query = ui.search.value;
      if (found.length === 0)
        ui.results.append(
          Object.assign(document.createElement('li'), {
            textContent: `No title contains “${ui.search.value}”.`,
          }),
        );
    } catch (err) {
      showError(`Search failed: ${messageOf(err)}`);
    }
  };
  ui.search.addEventListener('input', () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => void runSearch(), 150);
  });
  ui.clear.addEventListener('click', () => {
    store.clear();
    renderAll();
  });
  renderAll();
  void runSearch();
}

window.addEventListener('unhandledrejection', (e) =>
  showError(`Something went wrong: ${messageOf(e.reason)}`),
);
start().catch((err: unknown) => showError(`The page failed to start: ${messageOf(err)}`));
