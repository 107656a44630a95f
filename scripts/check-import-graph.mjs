// Checks the package import graph against the design (docs/architecture.md, "Packages and who may import whom"):
// core ← datasets ← eval; core + datasets ← models-ncf, models-gnn; datasets ← movielens;
// core + datasets + eval ← serve (never a model family: the CLI hands it a registry); everything ← cli.
// Also: no deep imports into another package's files, and @ncf/eval's sources never import tfjs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const allowed = {
  core: [],
  datasets: ['core'],
  eval: ['core', 'datasets'],
  'models-ncf': ['core', 'datasets'],
  'models-gnn': ['core', 'datasets'],
  movielens: ['core', 'datasets'],
  serve: ['core', 'datasets', 'eval'],
  cli: ['core', 'datasets', 'eval', 'models-ncf', 'models-gnn', 'movielens', 'serve'],
  // A third-party model: the public APIs of core and datasets only.
  'custom-model': ['core', 'datasets'],
};
const dirs = { cli: 'apps/cli', 'custom-model': 'examples/custom-model' };
const noTfjs = new Set(['eval', 'datasets', 'movielens']);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

const importRe =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
let problems = 0;
for (const [pkg, deps] of Object.entries(allowed)) {
  const src = join(dirs[pkg] ?? `packages/${pkg}`, 'src');
  let list;
  try {
    list = [...files(src)];
  } catch {
    continue;
  }
  for (const file of list) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[3] ?? m[4];
      const typeOnly = Boolean(m[2]);
      const ncf = /^@ncf\/([^/]+)(\/.*)?$/.exec(spec);
      if (ncf) {
        const [, target, sub] = ncf;
        if (!deps.includes(target)) {
          console.error(
            `${file}: @ncf/${pkg} may not import @ncf/${target} (allowed: ${deps.join(', ') || 'none'})`,
          );
          problems++;
        }
        if (sub && sub !== '/testing' && sub !== '/base') {
          console.error(`${file}: deep import '${spec}' (import the package's public entry)`);
          problems++;
        }
      }
      if (noTfjs.has(pkg) && !typeOnly && spec === '@ncf/core') {
        console.error(`${file}: @ncf/${pkg} never loads tfjs: import runtime values from '@ncf/core/base'`);
        problems++;
      }
      if (noTfjs.has(pkg) && !typeOnly && /^@tensorflow\//.test(spec)) {
        console.error(`${file}: @ncf/${pkg} must not import tfjs`);
        problems++;
      }
      if (pkg !== 'core' && /^@tensorflow\/tfjs-core/.test(spec) && !typeOnly) {
        console.error(`${file}: import tf from '@ncf/core' so one copy of tfjs-core loads`);
        problems++;
      }
    }
  }
}
if (problems) {
  console.error(`${problems} import-graph problem(s)`);
  process.exit(1);
}
console.log('import graph ok');
