// Imports every published package from its built dist/ with plain Node (no source condition), the way a
// user's project would, and checks each exposes named exports.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

let bad = 0;
for (const root of ['packages', 'apps']) {
  for (const dir of readdirSync(root)) {
    const pj = join(root, dir, 'package.json');
    if (!existsSync(pj)) continue;
    const pkg = JSON.parse(readFileSync(pj, 'utf8'));
    if (pkg.private) continue;
    for (const [sub, target] of Object.entries(pkg.exports)) {
      if (typeof target !== 'object') continue;
      const file = resolve(root, dir, target.import);
      try {
        const mod = await import(pathToFileURL(file).href);
        const names = Object.keys(mod);
        if (names.length === 0) throw new Error('no exports');
        console.log(`ok  ${pkg.name}${sub === '.' ? '' : sub.slice(1)} (${names.length} exports)`);
      } catch (err) {
        bad++;
        console.error(`FAIL ${pkg.name}${sub === '.' ? '' : sub.slice(1)}: ${err.message}`);
      }
    }
  }
}
process.exit(bad ? 1 : 0);
