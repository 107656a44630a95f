/**
 * The top-K selector lives in `@ncf/core/base` (one selector for evaluation and for `recommend()`);
 * @ncf/eval re-exports it so `import { selectTopK } from '@ncf/eval'` keeps working.
 */
export { MARK_EXCLUDED, MARK_RELEVANT, createTopKWorkspace, selectTopK } from '@ncf/core/base';
export type { TopKWorkspace } from '@ncf/core/base';
