/** Helpers for suites' own flags (`ctx.args`): `--name value` pairs. */

/** The value after `flag`, or undefined when the flag is absent. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The number after `flag`, `dflt` when absent; throws when the value is not a finite number. */
export function numberFlag(args: readonly string[], flag: string, dflt: number): number {
  const v = flagValue(args, flag);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${flag} needs a number, got ${v}`);
  return n;
}
