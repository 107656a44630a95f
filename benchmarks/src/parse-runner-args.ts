/** What the runner takes from the command line; everything else goes to the suite. */
export interface RunnerArgs {
  /** Suite name, or undefined to list suites. */
  readonly suite: string | undefined;
  /** Where to write the JSON report, if asked. */
  readonly json: string | undefined;
  /** Arguments for the suite (in order). */
  readonly suiteArgs: string[];
  /** `--help` / `-h` was given before the suite name. */
  readonly help: boolean;
}

/**
 * Parses `[<suite>] [--json out.json] [suite args...]`. `--json` (or `--json=out.json`) may appear anywhere;
 * a bare `--` is dropped (pnpm passes it through on some versions). The first non-flag argument is the suite.
 */
export function parseRunnerArgs(argv: readonly string[]): RunnerArgs {
  let suite: string | undefined;
  let json: string | undefined;
  let help = false;
  const suiteArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') continue;
    if (arg === '--json') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new Error('--json needs a file name: --json out.json');
      json = next;
      i++;
    } else if (arg.startsWith('--json=')) {
      json = arg.slice('--json='.length);
    } else if (suite === undefined && (arg === '--help' || arg === '-h')) {
      help = true;
    } else if (suite === undefined && !arg.startsWith('-')) {
      suite = arg;
    } else {
      suiteArgs.push(arg);
    }
  }
  return { suite, json, suiteArgs, help };
}
