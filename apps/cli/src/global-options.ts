import { readFileSync } from 'node:fs';
import { ConfigError, initBackend, parseBackendPreference, type BackendInfo } from '@ncf/core';
import type { CliIo } from './cli-io.js';

/** Options every command accepts (declared on the program). */
export interface GlobalOptions {
  /** `auto | wasm | cpu | tensorflow`; default: env `NCF_BACKEND`, else `auto`. */
  readonly backend?: string;
  /** Print stack traces with errors. */
  readonly verbose?: boolean;
  /** A JSON file whose keys set command options (flags given on the command line win). */
  readonly config?: string;
}

/**
 * Reads a JSON config file: an object whose keys are command option names in camelCase
 * (e.g. `{"model": "neumf", "epochs": 10, "learningRate": 0.002}`), optionally nested per command
 * (`{"train": {...}, "demo": {...}}`; the command's section wins over top-level keys).
 */
export function readConfigFile(file: string, command: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read config file ${file}: ${(cause as Error).message}`, 'config', {
      cause,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(cause as Error).message}`, 'config', {
      cause,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${file} must hold a JSON object of option names to values`, 'config');
  }
  const all = parsed as Record<string, unknown>;
  const section = all[command];
  const top = Object.fromEntries(
    Object.entries(all).filter(([, v]) => typeof v !== 'object' || v === null || Array.isArray(v)),
  );
  return typeof section === 'object' && section !== null && !Array.isArray(section)
    ? { ...top, ...(section as Record<string, unknown>) }
    : top;
}

/**
 * Initialises the compute backend named by `--backend` / `NCF_BACKEND` (and \@ncf's compute pool: `NCF_THREADS`,
 * else every core) and prints which one runs and on how many threads.
 */
export async function startBackend(options: GlobalOptions, io: CliIo): Promise<BackendInfo> {
  const preference = parseBackendPreference(options.backend ?? process.env.NCF_BACKEND);
  const info = await initBackend(preference);
  const kernels = info.kernelLayer.length ? `, @ncf kernels: ${info.kernelLayer.join(' ')}` : '';
  io.out(`backend: ${info.name} (${info.reason}; tfjs ${info.tfjsVersion}${kernels}; ${info.pool})`);
  return info;
}
