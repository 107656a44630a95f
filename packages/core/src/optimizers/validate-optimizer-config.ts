// Validation of an optimizer config and the slot names each optimizer keeps (checked when state is restored).
import { ConfigError } from '../errors.js';
import type { OptimizerConfig, OptimizerName } from '../optimizer.js';

/** The slots each optimizer keeps per variable (`setState` requires them). */
export const SLOT_NAMES: Record<OptimizerName, readonly string[]> = {
  adam: ['m', 'v'],
  adagrad: ['accumulator'],
  sgd: [],
};

/** Throws a ConfigError naming the field for an unknown optimizer or an out-of-range setting. */
export function validateConfig(c: OptimizerConfig): void {
  if (!(c.name in SLOT_NAMES)) {
    throw new ConfigError(
      `unknown optimizer '${String(c.name)}'; expected adam, sgd or adagrad`,
      'optimizer.name',
    );
  }
  const positive = (v: number, field: string): void => {
    if (!(Number.isFinite(v) && v > 0))
      throw new ConfigError(`${field} must be a positive number, got ${v}`, field);
  };
  positive(c.learningRate, 'optimizer.learningRate');
  positive(c.epsilon, 'optimizer.epsilon');
  if (!(Number.isFinite(c.l2) && c.l2 >= 0))
    throw new ConfigError(`optimizer.l2 must be ≥ 0, got ${c.l2}`, 'optimizer.l2');
  for (const [v, f] of [
    [c.beta1, 'optimizer.beta1'],
    [c.beta2, 'optimizer.beta2'],
  ] as const) {
    if (!(Number.isFinite(v) && v >= 0 && v < 1))
      throw new ConfigError(`${f} must be in [0, 1), got ${v}`, f);
  }
  if (!(Number.isFinite(c.initialAccumulator) && c.initialAccumulator >= 0)) {
    throw new ConfigError(
      `optimizer.initialAccumulator must be ≥ 0, got ${c.initialAccumulator}`,
      'optimizer.initialAccumulator',
    );
  }
}
