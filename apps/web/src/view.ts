import type { CatalogItem, Recommendation, StarRating } from './source.js';

/** Text of an item for people: its title, else its id. */
export function label(item: CatalogItem): string {
  return item.title ?? `Item ${String(item.id)}`;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * A 1–5 star control: five buttons in a labelled group, each `aria-pressed` up to the current rating, so it is
 * usable with Tab + Enter/Space and read out by screen readers; `onRate` gets the chosen stars.
 */
export function starControl(
  item: CatalogItem,
  current: number | undefined,
  onRate: (stars: number) => void,
): HTMLElement {
  const group = el('span', { role: 'group', class: 'stars', 'aria-label': `Rate ${label(item)}` });
  for (let s = 1; s <= 5; s++) {
    const b = el('button', {
      type: 'button',
      class: current !== undefined && s <= current ? 'star on' : 'star',
      'aria-pressed': String(current === s),
      'aria-label': `${s} star${s > 1 ? 's' : ''} for ${label(item)}`,
      'data-stars': String(s),
    });
    b.textContent = current !== undefined && s <= current ? '★' : '☆';
    b.addEventListener('click', () => onRate(s));
    group.append(b);
  }
  return group;
}

/** A search result row: the title and its star control. */
export function resultRow(
  item: CatalogItem,
  current: number | undefined,
  onRate: (s: number) => void,
): HTMLLIElement {
  const li = el('li', { class: 'item', 'data-id': String(item.id) });
  li.append(el('span', { class: 'title' }, label(item)), starControl(item, current, onRate));
  return li;
}

/** A rated row: title, changeable stars, and a remove button. */
export function ratedRow(
  rating: StarRating,
  onRate: (s: number) => void,
  onRemove: () => void,
): HTMLLIElement {
  const li = el('li', { class: 'item', 'data-id': String(rating.id), 'data-stars': String(rating.stars) });
  const remove = el(
    'button',
    { type: 'button', class: 'remove', 'aria-label': `Remove rating of ${label(rating)}` },
    'Remove',
  );
  remove.addEventListener('click', onRemove);
  li.append(el('span', { class: 'title' }, label(rating)), starControl(rating, rating.stars, onRate), remove);
  return li;
}

/** A recommendation row: title, score (full precision in `data-score` for tests), and "because you rated …". */
export function recommendationRow(rec: Recommendation, rank: number): HTMLLIElement {
  const li = el('li', { class: 'item rec', 'data-id': String(rec.id), 'data-score': String(rec.score) });
  li.append(
    el('span', { class: 'title' }, label(rec)),
    el('span', { class: 'score', title: 'model score' }, rec.score.toFixed(3)),
  );
  if (rec.because && rec.because.length > 0) {
    li.append(el('span', { class: 'because' }, `because you rated ${rec.because.map(label).join(', ')}`));
  }
  li.setAttribute('aria-label', `${rank}. ${label(rec)}`);
  return li;
}
