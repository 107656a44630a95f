import { ConfigError } from '@ncf/core';

/** Bounds for {@link toNumber}. */
export interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
}

/**
 * Reads a numeric option given as a flag (string) or config-file value (number): throws ConfigError naming
 * the option and what was expected when it is not a number, not an integer, or out of range.
 */
export function toNumber(value: unknown, option: string, rule: NumberRule = {}): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  const what = `${rule.integer ? 'an integer' : 'a number'}${rule.min !== undefined ? ` ≥ ${rule.min}` : ''}${
    rule.max !== undefined ? ` ≤ ${rule.max}` : ''
  }`;
  if (!Number.isFinite(n) || (rule.integer && !Number.isInteger(n))) {
    throw new ConfigError(`--${kebab(option)} must be ${what}, got ${JSON.stringify(value)}`, option);
  }
  if ((rule.min !== undefined && n < rule.min) || (rule.max !== undefined && n > rule.max)) {
    throw new ConfigError(`--${kebab(option)} must be ${what}, got ${n}`, option);
  }
  return n;
}

/** Like {@link toNumber} but undefined stays undefined (option not given: the library default applies). */
export function toOptionalNumber(value: unknown, option: string, rule: NumberRule = {}): number | undefined {
  return value === undefined ? undefined : toNumber(value, option, rule);
}

/** Reads a string option that must be one of `choices`. */
export function toChoice<T extends string>(value: unknown, option: string, choices: readonly T[]): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(
    `--${kebab(option)} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`,
    option,
  );
}

/** Reads a required string option. */
export function toText(value: unknown, option: string): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  throw new ConfigError(`--${kebab(option)} is required`, option);
}

/** `learningRate` → `learning-rate`. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
