/**
 * Benchmark runner: `pnpm bench <suite> [--json out.json] [suite args...]` from the repository root.
 * Loads `benchmarks/suites/<suite>.ts`, runs it with a {@link SuiteContext}, prints its rows as an aligned
 * table with its notes and summary, and writes a JSON report when `--json` is given. Without a suite name it
 * lists the suites.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatTable } from './format-table.js';
import { loadSuite, suiteNames } from './load-suite.js';
import { machineInfo } from './machine-info.js';
import { parseRunnerArgs } from './parse-runner-args.js';
import { checkSummary, formatSummary, type BenchReport } from './report.js';
import { createSuiteContext } from './suite-context.js';

const USAGE = 'usage: pnpm bench <suite> [--json out.json] [suite args...]';

async function listSuites(): Promise<void> {
  const names = suiteNames();
  console.log(USAGE);
  console.log(names.length ? '\nsuites:' : '\nno suites in benchmarks/suites yet');
  const width = Math.max(0, ...names.map((n) => n.length));
  for (const name of names) {
    let description: string;
    try {
      description = (await loadSuite(name)).description;
    } catch (err) {
      description = `(cannot load: ${(err as Error).message.split('\n')[0]})`;
    }
    console.log(`  ${name.padEnd(width)}  ${description}`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseRunnerArgs(argv);
  if (args.help || args.suite === undefined) {
    await listSuites();
    return 0;
  }
  const suite = await loadSuite(args.suite);
  const machine = machineInfo();
  const date = new Date();
  const ctx = createSuiteContext({ args: args.suiteArgs });
  ctx.log(`[bench] ${suite.name}: ${suite.description}`);
  ctx.log(
    `[bench] ${machine.cpus} × ${machine.model}, node ${machine.node}, ${machine.os}; data ${ctx.sharedData}`,
  );
  const t0 = performance.now();
  const result = await suite.run(ctx);
  const seconds = (performance.now() - t0) / 1000;
  const notes = [...(result.notes ?? [])];

  console.log(
    `\n${suite.name} — ${date.toISOString()} — ${machine.cpus} × ${machine.model}, node ${machine.node}\n`,
  );
  console.log(formatTable(result.rows));
  if (notes.length) console.log(`\n${notes.map((n) => `* ${n}`).join('\n')}`);
  console.log(`\nsummary:\n${formatSummary(result.summary)}`);
  console.log(`\n(${seconds.toFixed(1)} s)`);
  const problems = checkSummary(result.summary);
  for (const p of problems) ctx.log(`[bench] warning: ${p}`);

  if (args.json !== undefined) {
    // Relative to where the user ran `pnpm bench` (pnpm runs this script inside benchmarks/).
    const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), args.json);
    const report: BenchReport = {
      suite: suite.name,
      date: date.toISOString(),
      machine,
      args: args.suiteArgs,
      seconds,
      rows: result.rows,
      summary: result.summary,
      notes,
      ...(result.peerBlas !== undefined ? { peer_blas: result.peerBlas } : {}),
    };
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    ctx.log(`[bench] wrote ${out}`);
  }
  return problems.some((p) => p.includes('expected a number')) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const verbose = process.argv.includes('--verbose');
    process.stderr.write(
      `bench: ${verbose && err instanceof Error ? err.stack : ((err as Error)?.message ?? String(err))}\n`,
    );
    process.exit(1);
  },
);
