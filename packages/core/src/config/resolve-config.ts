import { ConfigError } from '../errors.js';
import { describeValue, rejectUnknownKeys } from './validate.js';

/**
 * Checks a complete (defaults filled in) config: throws ConfigError for a bad field, and may return a
 * normalised copy (e.g. with arrays copied or derived fields filled); returning nothing keeps the input.
 */
export type ConfigValidator<C extends object> = (config: C) => C | void;

/**
 * The `DEFAULTS` + resolve pattern every model config follows: rejects fields `kind` does not have (naming
 * the known ones), fills the missing ones from `defaults`, runs `validate` and returns the result **frozen**,
 * array fields copied and frozen too, so neither the caller's input nor the defaults are shared or mutable.
 *
 * ```ts
 * export const MF_DEFAULTS: MfConfig = Object.freeze({ factors: 8, loss: 'bce' });
 * export const resolveMfConfig = (config?: Partial<MfConfig>): Readonly<MfConfig> =>
 *   resolveConfig('ncf/mf', MF_DEFAULTS, config, (c) => {
 *     requireInt(c.factors, 'factors', { min: 1 });
 *     requireChoice(c.loss, 'loss', ['bce', 'mse', 'bpr']);
 *   });
 * ```
 *
 * @throws ConfigError when `config` is not a plain object, has an unknown key, or `validate` rejects a field.
 */
export function resolveConfig<C extends object>(
  kind: string,
  defaults: Readonly<C>,
  config: Partial<C> | undefined,
  validate?: ConfigValidator<C>,
): Readonly<C> {
  const given: unknown = config === undefined ? {} : config;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new ConfigError(`${kind} config must be an object of config fields, got ${describeValue(given)}`);
  }
  rejectUnknownKeys(given, defaults, kind);
  const merged = { ...defaults, ...(given as Partial<C>) } as C;
  const checked = validate?.(merged) ?? merged;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(checked)) {
    out[key] = Array.isArray(value) ? Object.freeze([...(value as unknown[])]) : value;
  }
  return Object.freeze(out) as unknown as Readonly<C>;
}
