// Loads every published package from its built dist/ with plain Node (no source condition), the way a
// user's project would: once with `import` and once with `require()` (CommonJS consumers on Node >= 20.19
// load ESM synchronously, which works only while no module in the graph uses top-level await). Each subpath
// is resolved by name through the package's own exports map (self-reference), so a missing `default` or
// `import` condition fails here as it would for a user.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

let bad = 0;
let good = 0;
function check(label, load) {
  try {
    const names = Object.keys(load());
    if (names.length === 0) throw new Error('no exports');
    good++;
    console.log(`ok  ${label} (${names.length} exports)`);
  } catch (err) {
    bad++;
    console.error(`FAIL ${label}: ${String(err.message).split('\n')[0]}`);
  }
}

for (const root of ['packages', 'apps']) {
  for (const dir of readdirSync(root)) {
    const pj = join(root, dir, 'package.json');
    if (!existsSync(pj)) continue;
    const pkg = JSON.parse(readFileSync(pj, 'utf8'));
    if (pkg.private) continue;
    const requireHere = createRequire(resolve(pj));
    for (const [sub, target] of Object.entries(pkg.exports)) {
      if (typeof target !== 'object') continue;
      // A browser entry (`@ncf/core/browser`) is for bundlers, not Node: apps/web's Vite build checks it.
      if (sub === './browser') continue;
      const specifier = sub === '.' ? pkg.name : `${pkg.name}${sub.slice(1)}`;
      const file = resolve(root, dir, target.import);
      const mod = await import(pathToFileURL(file).href).catch((err) => err);
      check(`import  ${specifier}`, () => {
        if (mod instanceof Error) throw mod;
        return mod;
      });
      check(`require ${specifier}`, () => requireHere(specifier));
    }
  }
}
console.log(`smoke: ${good} loaded, ${bad} failed`);
process.exit(bad ? 1 : 0);
