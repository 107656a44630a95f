// Node-only (reads package.json, reports the Node version): imported by saving, never by the browser entry.
import { readFileSync } from 'node:fs';
import { tf } from '../tf.js';

let coreVersion: string | undefined;

/** Version of \@ncf/core, read from its package.json. */
export function ncfCoreVersion(): string {
  if (coreVersion === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: string;
      };
      coreVersion = pkg.version ?? 'unknown';
    } catch {
      coreVersion = 'unknown';
    }
  }
  return coreVersion;
}

/** Library versions recorded in model files. */
export function libraryVersions(): Record<string, string> {
  return {
    '@ncf/core': ncfCoreVersion(),
    '@tensorflow/tfjs-core': tf.version_core,
    node: process.versions.node,
  };
}
