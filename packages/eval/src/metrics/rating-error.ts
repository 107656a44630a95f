import { DataError } from '@ncf/core/base';

/**
 * Rating prediction errors over aligned arrays of predictions and true ratings (Koren, Bell & Volinsky,
 * "Matrix factorization techniques for recommender systems", IEEE Computer 2009, evaluate with RMSE).
 * Both return `NaN` for empty input and throw `DataError` when the lengths differ.
 */

/** Root mean squared error `sqrt(mean((p − y)²))`, accumulated in float64. */
export function rmse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkLengths(predicted, actual);
  if (predicted.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) {
    const d = (predicted[i] as number) - (actual[i] as number);
    sum += d * d;
  }
  return Math.sqrt(sum / predicted.length);
}

/** Mean absolute error `mean(|p − y|)`, accumulated in float64. */
export function mae(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkLengths(predicted, actual);
  if (predicted.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < predicted.length; i++)
    sum += Math.abs((predicted[i] as number) - (actual[i] as number));
  return sum / predicted.length;
}

function checkLengths(predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (predicted.length !== actual.length) {
    throw new DataError(
      `predicted has ${predicted.length} values but actual has ${actual.length}; expected equal lengths`,
    );
  }
}
