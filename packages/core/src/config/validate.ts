import { ConfigError } from '../errors.js';

/**
 * Config validation helpers for model factories and other option objects. Each checks one field, returns the
 * value typed, and otherwise throws {@link ConfigError} with `field` set and a message that names the field,
 * what was expected and what was given (`factors must be an integer ≥ 1, got 0`).
 */

/** Bounds of {@link requireNumber}; both inclusive unless marked exclusive. */
export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
  /** `min` itself is not allowed (`> min`). */
  readonly minExclusive?: boolean;
  /** `max` itself is not allowed (`< max`). */
  readonly maxExclusive?: boolean;
}

/** Bounds of {@link requireInt} (inclusive). */
export interface IntRange {
  readonly min?: number;
  readonly max?: number;
}

/** Options of {@link requireIntArray}: bounds of every entry and of the length. */
export interface IntArrayOptions extends IntRange {
  readonly minLength?: number;
  readonly maxLength?: number;
}

/** How a rejected value is shown in messages: numbers as written (NaN, Infinity), everything else as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `in [a, b)`, `≥ a`, `< b` or '' for the given bounds. */
function rangeText(r: NumberRange): string {
  const hasMin = r.min !== undefined && r.min > -Infinity;
  const hasMax = r.max !== undefined && r.max < Infinity;
  if (hasMin && hasMax) {
    return ` in ${r.minExclusive ? '(' : '['}${r.min}, ${r.max}${r.maxExclusive ? ')' : ']'}`;
  }
  if (hasMin) return ` ${r.minExclusive ? '>' : '≥'} ${r.min}`;
  if (hasMax) return ` ${r.maxExclusive ? '<' : '≤'} ${r.max}`;
  return '';
}

function inRange(v: number, r: NumberRange): boolean {
  if (r.min !== undefined && (r.minExclusive ? v <= r.min : v < r.min)) return false;
  if (r.max !== undefined && (r.maxExclusive ? v >= r.max : v > r.max)) return false;
  return true;
}

/**
 * `value` as a finite number within `range`.
 * @throws ConfigError `${field} must be a finite number in [0, 1), got 1` (the range part as the bounds say).
 */
export function requireNumber(value: unknown, field: string, range: NumberRange = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !inRange(value, range)) {
    throw new ConfigError(
      `${field} must be a finite number${rangeText(range)}, got ${describeValue(value)}`,
      field,
    );
  }
  return value;
}

/**
 * `value` as an integer within `range` (inclusive bounds).
 * @throws ConfigError `${field} must be an integer ≥ 1, got 0`.
 */
export function requireInt(value: unknown, field: string, range: IntRange = {}): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || !inRange(value, range)) {
    throw new ConfigError(
      `${field} must be an integer${rangeText(range)}, got ${describeValue(value)}`,
      field,
    );
  }
  return value;
}

/**
 * `value` as a boolean.
 * @throws ConfigError `${field} must be true or false, got "yes"`.
 */
export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') {
    throw new ConfigError(`${field} must be true or false, got ${describeValue(value)}`, field);
  }
  return value;
}

/**
 * `value` as one of the string `choices`.
 * @throws ConfigError `${field} must be one of 'bce', 'mse', 'bpr', got "hinge"`.
 */
export function requireChoice<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ConfigError(
      `${field} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describeValue(value)}`,
      field,
    );
  }
  return value as T;
}

/**
 * A copy of `value` as an array of integers: its length within `minLength`/`maxLength`, each entry checked by
 * {@link requireInt} under the field `${field}[i]` (so the error names the offending entry).
 * @throws ConfigError `${field} must be an array of at least 2 integers, got [64]`.
 */
export function requireIntArray(value: unknown, field: string, options: IntArrayOptions = {}): number[] {
  const { minLength = 0, maxLength = Infinity } = options;
  if (!Array.isArray(value) || value.length < minLength || value.length > maxLength) {
    const size =
      maxLength === Infinity
        ? minLength > 0
          ? `at least ${minLength} `
          : ''
        : minLength === maxLength
          ? `exactly ${minLength} `
          : `${minLength} to ${maxLength} `;
    throw new ConfigError(`${field} must be an array of ${size}integers, got ${describeValue(value)}`, field);
  }
  return value.map((v, i) => requireInt(v, `${field}[${i}]`, options));
}

/**
 * Rejects keys of `config` that are not config fields of `kind` (a misspelt option is an error, not silently
 * ignored). `known` is the list of fields or an object (the defaults) whose keys are the fields.
 * @throws ConfigError `${kind} has no config field 'factor' (known: factors, loss, initStd)`, field = the key.
 */
export function rejectUnknownKeys(config: object, known: object | readonly string[], kind: string): void {
  const fields = Array.isArray(known) ? (known as readonly string[]) : Object.keys(known);
  for (const key of Object.keys(config)) {
    if (!fields.includes(key)) {
      throw new ConfigError(`${kind} has no config field '${key}' (known: ${fields.join(', ')})`, key);
    }
  }
}
