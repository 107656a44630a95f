import { NcfError } from '../errors.js';
import type { Recommender } from '../model.js';
import { createTopKWorkspace } from '../top-k.js';
import { denseIndex } from './external-ids.js';
import type { ExternalId } from './external-ids.js';
import { candidateMarks, checkK, selectRecommendations } from './ranking.js';

/** The model gives no item vectors (`itemFactors()`), so item–item similarity is not available. */
export class SimilarityUnsupportedError extends NcfError {
  readonly kind: string;
  constructor(kind: string) {
    super(
      'SIMILARITY_UNSUPPORTED',
      `model kind '${kind}' cannot rank similar items: it does not implement itemFactors()`,
    );
    this.kind = kind;
  }
}

/** Whether {@link similarItems} can answer for this model. */
export function hasItemFactors(model: Recommender): boolean {
  return typeof model.itemFactors === 'function';
}

/** Options of {@link similarItems}. */
export interface SimilarItemsOptions {
  /** How many items to return. Default 10. */
  readonly k?: number;
  /** Rank only these items (external ids); default every item. */
  readonly candidates?: readonly ExternalId[];
}

/** The items most like one item, best first, with their cosine similarities. */
export interface SimilarItems {
  readonly item: ExternalId;
  readonly items: ExternalId[];
  readonly itemIndices: Int32Array;
  /** Cosine similarities in [-1, 1], aligned with `items`. */
  readonly scores: Float32Array;
}

/**
 * The `k` items most similar to `item` (external id) by cosine similarity of the model's item vectors
 * (`itemFactors().vectors`, the representation its dot-product scores use), the item itself left out; an
 * item with a zero vector has similarity 0 to every item. Throws {@link SimilarityUnsupportedError} for
 * models without `itemFactors()` and UnknownIdError for an unknown item. Cost O(items × dim).
 */
export function similarItems(
  model: Recommender,
  item: ExternalId,
  options: SimilarItemsOptions = {},
): SimilarItems {
  const k = checkK(options.k ?? 10);
  if (!model.itemFactors) throw new SimilarityUnsupportedError(model.kind);
  const { numItems, itemIds } = model.info;
  const target = denseIndex(itemIds, numItems, item, 'item');
  const { dim, vectors } = model.itemFactors();
  const norms = new Float64Array(numItems);
  for (let i = 0; i < numItems; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += vectors[i * dim + d]! ** 2;
    norms[i] = Math.sqrt(s);
  }
  const row = new Float32Array(numItems);
  const base = target * dim;
  for (let i = 0; i < numItems; i++) {
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += vectors[base + d]! * vectors[i * dim + d]!;
    const den = norms[target]! * norms[i]!;
    row[i] = den > 0 ? dot / den : 0;
  }
  row[target] = -Infinity;
  const marks = candidateMarks(model, options.candidates);
  const ws = createTopKWorkspace(Math.min(k, numItems));
  return { item, ...selectRecommendations(model, row, marks, ws) };
}
