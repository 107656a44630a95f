// Checks the README inside a packed tarball as npm shows it: every relative link must resolve to a file in
// the tarball, and no machine path (a home or work directory) may appear. Usage:
// node scripts/check-readme-links.mjs <package.tgz>...
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';

const MACHINE_PATH = /(?:^|[\s`'"(=])(\/(?:work|home|Users|root|var\/folders)\/[^\s`'")]*)/g;
let bad = 0;
for (const tgz of process.argv.slice(2)) {
  const dir = mkdtempSync(join(tmpdir(), 'ncf-readme-'));
  try {
    execFileSync('tar', ['-xzf', tgz, '-C', dir]);
    const root = join(dir, 'package');
    const text = readFileSync(join(root, 'README.md'), 'utf8');
    const problems = [];
    for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1];
      if (/^[a-z][a-z+.-]*:/i.test(target) || target.startsWith('#')) continue;
      const file = normalize(join(root, target.split('#')[0]));
      if (!file.startsWith(root + '/') || !existsSync(file))
        problems.push(`link ${target} does not resolve in the tarball`);
    }
    for (const m of text.matchAll(MACHINE_PATH)) problems.push(`machine path ${m[1]}`);
    for (const p of problems) console.error(`${tgz.split('/').pop()}: README.md: ${p}`);
    if (problems.length) bad++;
    else console.log(`ok   ${tgz.split('/').pop()}: README links resolve, no machine paths`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.exit(bad ? 1 : 0);
