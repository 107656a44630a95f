import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { ModelFileError } from '../errors.js';
import { replaceDirAtomically, resolveDirForReading, writeFileDurably } from './atomic-dir.js';
import { MODEL_JSON, WEIGHTS_BIN } from './file-names.js';
import { specsByteLength } from './weights-codec.js';

export { MODEL_JSON, WEIGHTS_BIN } from './file-names.js';

/** Integrity record written next to tfjs's weights manifest in `model.json`. */
export interface WeightsIntegrity {
  readonly bytes: number;
  readonly sha256: string;
}

/** Options of {@link fileSystemIOHandler}. */
export interface FileSystemIOHandlerOptions {
  /** Replace the directory atomically (temp dir + rename). Default true. */
  readonly atomic?: boolean;
}

function toBytes(data: io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  const total = data.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'file not found';
  return String(e?.message ?? err).split('\n')[0] ?? String(err);
}

/**
 * A tfjs `io.IOHandler` that saves and loads model artifacts on the local filesystem: `model.json` (tfjs's
 * `ModelJSON` with a one-group weights manifest pointing at `weights.bin`, plus a `weightsIntegrity` record) and
 * `weights.bin`. tfjs's own `file://` handler exists only with tfjs-node, which cannot be assumed here.
 * Loading never throws a raw tfjs/Node error: every problem is a {@link ModelFileError} naming the file.
 */
export function fileSystemIOHandler(dir: string, options: FileSystemIOHandlerOptions = {}): io.IOHandler {
  const atomic = options.atomic ?? true;

  async function writeInto(target: string, artifacts: io.ModelArtifacts): Promise<void> {
    const weights = toBytes(artifacts.weightData);
    const specs = artifacts.weightSpecs ?? [];
    const expected = specsByteLength(specs, join(target, MODEL_JSON));
    if (expected !== weights.byteLength) {
      throw new ModelFileError(
        join(target, WEIGHTS_BIN),
        `weight data has ${weights.byteLength} bytes but the specs describe ${expected}`,
      );
    }
    const integrity: WeightsIntegrity = { bytes: weights.byteLength, sha256: sha256(weights) };
    const json = {
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      modelTopology: artifacts.modelTopology ?? {},
      userDefinedMetadata: artifacts.userDefinedMetadata,
      weightsManifest: [{ paths: [WEIGHTS_BIN], weights: specs }],
      weightsIntegrity: integrity,
    };
    await writeFileDurably(join(target, WEIGHTS_BIN), weights);
    await writeFileDurably(join(target, MODEL_JSON), `${JSON.stringify(json, null, 2)}\n`);
  }

  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (atomic) await replaceDirAtomically(dir, MODEL_JSON, (tmp) => writeInto(tmp, artifacts));
      else await writeInto(dir, artifacts);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: toBytes(artifacts.weightData).byteLength,
        },
      };
    },

    async load(): Promise<io.ModelArtifacts> {
      const root = await resolveDirForReading(dir);
      const jsonPath = join(root, MODEL_JSON);
      let text: string;
      try {
        text = await readFile(jsonPath, 'utf8');
      } catch (err) {
        throw new ModelFileError(jsonPath, `cannot read the model description: ${describe(err)}`, {
          cause: err,
        });
      }
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch (err) {
        throw new ModelFileError(jsonPath, `is not valid JSON (${describe(err)}); the file is corrupted`, {
          cause: err,
        });
      }
      if (json === null || typeof json !== 'object' || Array.isArray(json)) {
        throw new ModelFileError(jsonPath, 'expected a JSON object');
      }
      const manifest = json.weightsManifest as io.WeightsManifestConfig | undefined;
      if (!Array.isArray(manifest)) throw new ModelFileError(jsonPath, "field 'weightsManifest' is missing");
      const specs: io.WeightsManifestEntry[] = [];
      const chunks: Uint8Array[] = [];
      let weightsFile = join(root, WEIGHTS_BIN);
      for (const group of manifest) {
        if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
          throw new ModelFileError(
            jsonPath,
            "each 'weightsManifest' group needs 'paths' and 'weights' arrays",
          );
        }
        specs.push(...group.weights);
        for (const p of group.paths) {
          if (typeof p !== 'string' || p.includes('/') || p.includes('\\') || p.startsWith('.')) {
            throw new ModelFileError(jsonPath, `weights path ${JSON.stringify(p)} must be a plain file name`);
          }
          weightsFile = join(root, p);
          try {
            chunks.push(new Uint8Array(await readFile(weightsFile)));
          } catch (err) {
            throw new ModelFileError(weightsFile, `cannot read weights: ${describe(err)}`, { cause: err });
          }
        }
      }
      const data = toBytes(
        chunks.map((c) => c.buffer.slice(c.byteOffset, c.byteOffset + c.byteLength) as ArrayBuffer),
      );
      const expected = specsByteLength(specs, jsonPath);
      if (data.byteLength !== expected) {
        throw new ModelFileError(
          weightsFile,
          `holds ${data.byteLength} bytes but ${MODEL_JSON}'s weights manifest describes ${expected}` +
            (data.byteLength < expected ? ' (truncated)' : ' (unexpected trailing bytes)'),
        );
      }
      const integrity = json.weightsIntegrity as WeightsIntegrity | undefined;
      if (integrity && typeof integrity.sha256 === 'string' && sha256(data) !== integrity.sha256) {
        throw new ModelFileError(
          weightsFile,
          `checksum mismatch (sha256 ${sha256(data).slice(0, 12)}…, ${MODEL_JSON} records ` +
            `${integrity.sha256.slice(0, 12)}…): the weights are corrupted`,
        );
      }
      return {
        format: json.format as string | undefined,
        generatedBy: json.generatedBy as string | undefined,
        convertedBy: (json.convertedBy as string | null | undefined) ?? null,
        modelTopology: (json.modelTopology as object | undefined) ?? {},
        userDefinedMetadata: json.userDefinedMetadata as io.ModelArtifacts['userDefinedMetadata'],
        weightSpecs: specs,
        weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
      };
    },
  };
}
