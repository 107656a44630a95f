// Sums the vitest JSON reports of every package and prints the plain line "N passed, N failed".
// Exits non-zero when a test failed, a suite failed to load, or no test ran.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'apps', '.'];
let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
for (const root of roots) {
  if (!existsSync(root)) continue;
  for (const dir of root === '.' ? ['benchmarks'] : readdirSync(root)) {
    const file = join(root, dir, '.vitest-report.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    reports++;
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    // A test file that failed to load counts as a failure even though it reports no failed test.
    failed += (r.testResults ?? []).filter(
      (t) => t.status === 'failed' && t.assertionResults.length === 0,
    ).length;
  }
}
console.log(`${reports} package reports`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
