/**
 * The shape of the data-needs declaration (core's `DataSpec` in the new contract): which batches a model
 * consumes, with which labels, and which dataset inputs it needs at create time.
 */
export interface DataSpecLike {
  readonly batch: 'pointwise' | 'pairwise' | 'user-history';
  readonly labels?: 'implicit' | 'rating';
  readonly inputs: readonly string[];
}
