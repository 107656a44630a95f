import type { io } from '@tensorflow/tfjs-core';
import { ModelFileError } from '../errors.js';
import { MODEL_JSON } from './file-names.js';
import { loadModelFromArtifacts, type LoadModelOptions, type LoadedModel } from './load-from-artifacts.js';
import { specsByteLength } from './weights-codec.js';

// Browser-safe (fetch + Web Crypto, no Node module): the in-browser page loads exported model files with it.

/** Options of {@link fetchModelArtifacts} and {@link fetchModel}. */
export interface FetchModelOptions extends LoadModelOptions {
  /** The fetch to use. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function get(doFetch: typeof fetch, url: string): Promise<Response> {
  let res: Response;
  try {
    res = await doFetch(url);
  } catch (err) {
    throw new ModelFileError(url, `cannot be fetched: ${String((err as Error)?.message ?? err)}`, {
      cause: err,
    });
  }
  if (!res.ok) throw new ModelFileError(url, `answered HTTP ${res.status} ${res.statusText}`.trim());
  return res;
}

/**
 * Fetches the artifacts of a model directory published over HTTP (`<baseUrl>/model.json` and the weights files
 * its manifest names, as `saveModel` wrote them), checking the byte count against the manifest and the
 * `weightsIntegrity` sha256 when Web Crypto is available. Every problem is a {@link ModelFileError} naming the URL.
 */
export async function fetchModelArtifacts(
  baseUrl: string,
  options: FetchModelOptions = {},
): Promise<{ artifacts: io.ModelArtifacts; jsonUrl: string; weightsUrl: string }> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const jsonUrl = `${base}${MODEL_JSON}`;
  let json: Record<string, unknown>;
  try {
    json = (await (await get(doFetch, jsonUrl)).json()) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof ModelFileError) throw err;
    throw new ModelFileError(jsonUrl, `is not valid JSON (${String((err as Error)?.message ?? err)})`, {
      cause: err,
    });
  }
  const manifest = json?.weightsManifest as io.WeightsManifestConfig | undefined;
  if (!Array.isArray(manifest)) throw new ModelFileError(jsonUrl, "field 'weightsManifest' is missing");
  const specs: io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  let weightsUrl = jsonUrl;
  for (const group of manifest) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new ModelFileError(jsonUrl, "each 'weightsManifest' group needs 'paths' and 'weights' arrays");
    }
    specs.push(...group.weights);
    for (const p of group.paths) {
      if (typeof p !== 'string' || p.includes('/') || p.includes('\\') || p.startsWith('.')) {
        throw new ModelFileError(jsonUrl, `weights path ${JSON.stringify(p)} must be a plain file name`);
      }
      weightsUrl = `${base}${p}`;
      chunks.push(new Uint8Array(await (await get(doFetch, weightsUrl)).arrayBuffer()));
    }
  }
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.byteLength;
  }
  const expected = specsByteLength(specs, jsonUrl);
  if (total !== expected) {
    throw new ModelFileError(
      weightsUrl,
      `holds ${total} bytes but ${MODEL_JSON}'s weights manifest describes ${expected}` +
        (total < expected ? ' (truncated)' : ' (unexpected trailing bytes)'),
    );
  }
  const integrity = json.weightsIntegrity as { sha256?: unknown } | undefined;
  const subtle = globalThis.crypto?.subtle;
  if (subtle && integrity && typeof integrity.sha256 === 'string') {
    const digest = hex(await subtle.digest('SHA-256', data));
    if (digest !== integrity.sha256) {
      throw new ModelFileError(
        weightsUrl,
        `checksum mismatch (sha256 ${digest.slice(0, 12)}…, ${MODEL_JSON} records ` +
          `${integrity.sha256.slice(0, 12)}…): the weights are corrupted or from another model`,
      );
    }
  }
  const artifacts: io.ModelArtifacts = {
    format: json.format as string | undefined,
    generatedBy: json.generatedBy as string | undefined,
    convertedBy: (json.convertedBy as string | null | undefined) ?? null,
    modelTopology: (json.modelTopology as object | undefined) ?? {},
    userDefinedMetadata: json.userDefinedMetadata as io.ModelArtifacts['userDefinedMetadata'],
    weightSpecs: specs,
    weightData: data.buffer,
  };
  return { artifacts, jsonUrl, weightsUrl };
}

/**
 * Loads a model published over HTTP (a directory written by `saveModel`, served as static files): fetches it
 * with {@link fetchModelArtifacts} and rebuilds it with {@link loadModelFromArtifacts}, the code `loadModel`
 * runs on files, so the browser and Node hold the same model.
 */
export async function fetchModel(baseUrl: string, options: FetchModelOptions = {}): Promise<LoadedModel> {
  const { artifacts, jsonUrl, weightsUrl } = await fetchModelArtifacts(baseUrl, options);
  return loadModelFromArtifacts(artifacts, { json: jsonUrl, weights: weightsUrl }, options);
}
