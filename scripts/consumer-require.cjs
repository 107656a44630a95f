// CommonJS consumer check, run inside a project that installed the packed tarballs with npm: require()s every
// public package and subpath by name (Node >= 20.19 loads ESM synchronously when no module in the graph uses
// top-level await). `@ncf/core/testing` is left out: it needs the optional vitest peer.
const { createRequire } = require('node:module');
const { join } = require('node:path');

const requireHere = createRequire(join(process.cwd(), 'package.json'));
const specifiers = process.argv.slice(2);
let bad = 0;
for (const specifier of specifiers) {
  try {
    const names = Object.keys(requireHere(specifier));
    if (names.length === 0) throw new Error('no exports');
    console.log(`ok   require('${specifier}') (${names.length} exports)`);
  } catch (err) {
    bad++;
    console.error(`FAIL require('${specifier}'): ${String(err && err.message).split('\n')[0]}`);
  }
}
process.exit(bad || specifiers.length === 0 ? 1 : 0);
