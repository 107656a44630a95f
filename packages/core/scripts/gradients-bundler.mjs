// Bundles tfjs-core's own gradient configs (dist/register_all_gradients.js and dist/gradients/*) into one ES
// module that registers them on the one tfjs-core the package resolves. tfjs-core's Node entry registers no
// gradients and its per-file ES modules use extensionless imports Node cannot load, so the configs are
// bundled here; every other import they make (ops, kernel names, utilities, the engine) is rewritten to
// tfjs-core's public API, so no second copy of tfjs-core's ops or engine is bundled. The few backprop ops
// tfjs-core does not export (pooling and convolution gradients) are bundled from its own sources, with
// their imports rewritten the same way. Shared by the build script and the test that checks the committed
// module matches this tfjs-core.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const TFC = '@tensorflow/tfjs-core';

/** tfjs-core's internal modules whose exports are public under a namespace of its API. */
const NAMESPACES = {
  util: 'util',
  util_base: 'util',
  'ops/broadcast_util': 'broadcast_util',
  'ops/slice_util': 'slice_util',
  'ops/axis_util': 'backend_util',
  'ops/conv_util': 'backend_util',
  'ops/selu_util': 'backend_util',
};

/** Internal helpers the ops above use that tfjs-core does not export (small, engine-free or engine-shared). */
const BUNDLED = ['tensor_util_env', 'types'];

/** @returns {{ dist: string, version: string, api: Record<string, unknown> }} */
function tfjsCore() {
  const pkgJson = require.resolve(`${TFC}/package.json`);
  return {
    dist: join(dirname(pkgJson), 'dist'),
    version: JSON.parse(readFileSync(pkgJson, 'utf8')).version,
    api: require(TFC),
  };
}

/** Internal module (path under dist/, no extension) → how the bundle gets it. */
function classify(rel, api) {
  if (rel === 'register_all_gradients' || rel.startsWith('gradients/')) return { kind: 'bundle' };
  if (rel === 'engine') return { kind: 'engine' };
  if (rel === 'tensor') return { kind: 'tensor' };
  if (BUNDLED.includes(rel)) return { kind: 'bundle' };
  if (rel in NAMESPACES) return { kind: 'namespace', ns: NAMESPACES[rel] };
  if (rel.startsWith('ops/') && /(_grad|backprop\w*)$/.test(rel) && !hasPublicExports(rel, api))
    return { kind: 'bundle' };
  return { kind: 'public' };
}

function hasPublicExports(rel, api) {
  const names = exportedNames(readFileSync(`${tfjsCore().dist}/${rel}.js`, 'utf8'));
  return names.length > 0 && names.every((n) => n in api);
}

function exportedNames(source) {
  return [...source.matchAll(/^export (?:const|function|class) (\w+)/gm)].map((m) => m[1]);
}

/** Named imports a bundled file takes from each specifier (to check the public API has them). */
function namedImports(source) {
  const out = [];
  for (const m of source.matchAll(/^import \{([^}]*)\} from '([^']+)'/gm))
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/)[0];
      if (name) out.push({ name, spec: m[2] });
    }
  return out;
}

/**
 * Renders the generated TypeScript module (the bundle, typed off) for the installed tfjs-core.
 * Throws when a config needs something tfjs-core's public API does not export.
 * @returns {Promise<string>}
 */
export async function renderGradientsModule() {
  const { dist, version, api } = tfjsCore();
  const problems = [];
  const plugin = {
    name: 'tfjs-core-public-api',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.namespace === 'shim') return undefined;
        const rel = relative(dist, resolve(dirname(args.importer), args.path)).replace(/\.js$/, '');
        const how = classify(rel, api);
        if (how.kind === 'bundle') return { path: join(dist, `${rel}.js`) };
        return { path: rel, namespace: 'shim', pluginData: how };
      });
      b.onLoad({ filter: /\.js$/ }, (args) => {
        const contents = readFileSync(args.path, 'utf8');
        for (const { name, spec } of namedImports(contents)) {
          const rel = relative(dist, resolve(dirname(args.path), spec)).replace(/\.js$/, '');
          const how = classify(rel, api);
          if (how.kind === 'public' && !(name in api)) problems.push(`${name} (${rel})`);
          if (how.kind === 'namespace' && !(name in api[how.ns])) problems.push(`${how.ns}.${name} (${rel})`);
          if (how.kind === 'engine' && name !== 'ENGINE') problems.push(`${name} (engine)`);
          if (how.kind === 'tensor' && name !== 'getGlobalTensorClass') problems.push(`${name} (tensor)`);
        }
        return { contents, loader: 'js' };
      });
      b.onLoad({ filter: /.*/, namespace: 'shim' }, (args) => {
        const how = args.pluginData;
        if (how.kind === 'engine')
          return { contents: `import { engine } from '${TFC}';\nexport const ENGINE = engine();\n` };
        // tfjs-core keeps its Tensor class in a global so copies agree; with one copy it is the public one.
        if (how.kind === 'tensor')
          return {
            contents: `import { Tensor } from '${TFC}';\nexport function getGlobalTensorClass() { return Tensor; }\n`,
          };
        if (how.kind === 'namespace') {
          const names = Object.keys(api[how.ns]).sort();
          return {
            contents: `import { ${how.ns} as ns } from '${TFC}';\nexport const { ${names.join(', ')} } = ns;\n`,
          };
        }
        return { contents: `export * from '${TFC}';\n` };
      });
    },
  };
  const result = await build({
    entryPoints: [join(dist, 'register_all_gradients.js')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: [TFC],
    legalComments: 'none',
    treeShaking: true,
    logLevel: 'silent',
    plugins: [plugin],
  });
  if (problems.length) throw new Error(`not in ${TFC}'s public API: ${[...new Set(problems)].join(', ')}`);
  const code = result.outputFiles[0].text;
  return (
    `// Generated by scripts/build-gradients.mjs from ${TFC}@${version} (Apache-2.0, Copyright Google LLC):\n` +
    `// its gradient configs, registered on the tfjs-core the package resolves. Do not edit; regenerate.\n` +
    `/* eslint-disable */\n// @ts-nocheck\n` +
    code
  );
}
