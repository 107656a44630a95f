/**
 * The one TensorFlow.js instance every \@ncf package uses. Model packages import `tf` from `@ncf/core`
 * (never `@tensorflow/tfjs-core` directly) so exactly one copy of tfjs-core is loaded.
 */
import * as tf from '@tensorflow/tfjs-core';

export { tf };
export type { Tensor, Tensor1D, Tensor2D, Scalar, Variable } from '@tensorflow/tfjs-core';
