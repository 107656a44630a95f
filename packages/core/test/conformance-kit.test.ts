import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The conformance suite must be able to fail: broken variants of the reference MF (a leak in score, unseeded
 * weights, a save that stores other weights, a loss that cannot fall) run through it in a child vitest,
 * and exactly the checks each one breaks must fail.
 */
describe('the conformance suite catches broken models', () => {
  it('fails exactly the checks each broken model violates', () => {
    const pkgDir = fileURLToPath(new URL('..', import.meta.url));
    const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
    const run = spawnSync(
      process.execPath,
      [vitest, 'run', '--config', 'test/conformance-fixtures/vitest.config.ts', '--reporter=json'],
      { cwd: pkgDir, encoding: 'utf8', env: { ...process.env, CI: 'true' }, maxBuffer: 64 << 20 },
    );
    const start = run.stdout.indexOf('{');
    expect(start, run.stderr).toBeGreaterThanOrEqual(0);
    const report = JSON.parse(run.stdout.slice(start)) as {
      testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string }[] }[];
    };
    const failed = new Map<string, string[]>();
    for (const file of report.testResults) {
      for (const t of file.assertionResults) {
        const kind = t.ancestorTitles[0]!.replace('model conformance: ', '').replace(/ \(.*\)$/, '');
        if (!failed.has(kind)) failed.set(kind, []);
        if (t.status === 'failed') failed.get(kind)!.push(t.title.split(' ').slice(0, 3).join(' '));
      }
    }
    expect(Object.fromEntries(failed)).toEqual({
      'broken/leaky': ['scores aligned pairs', 'frees every tensor'],
      'broken/unseeded': ['gives identical weights'],
      'broken/forgetful': ['saves and loads'],
      'broken/lazy': ['lowers its training'],
    });
    expect(run.status).not.toBe(0);
  }, 120_000);
});
