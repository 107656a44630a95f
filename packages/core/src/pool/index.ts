export { POOL_DEFAULTS, resolveThreads } from './pool-config.js';
export type { ResolvedThreads, ThreadsSource } from './pool-config.js';
export {
  computePool,
  computePoolInfo,
  poolUnavailableReason,
  startComputePool,
  stopComputePool,
} from './compute-pool.js';
export type { ComputePool, PoolInfo } from './compute-pool.js';
export { balancedBounds, parallelCsrMultiply } from './csr-product.js';
export type { CsrOperand, PoolCallOptions, PoolTimings } from './csr-product.js';
export { parallelScores, parallelTopK } from './score-top-k.js';
export type { TopKExclusions, TopKResult } from './score-top-k.js';
export { topKRow } from './pool-top-k.js';
export { parallelGemm } from './gemm.js';
export type { GemmOperands } from './gemm.js';
