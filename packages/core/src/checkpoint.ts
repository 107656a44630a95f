import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { ModelFileError } from './errors.js';
import { replaceDirAtomically, resolveDirForReading, writeFileDurably } from './model-files/atomic-dir.js';
import { decodeArrays, encodeArrays, type NamedArray } from './model-files/weights-codec.js';
import type { io } from '@tensorflow/tfjs-core';

/** File names of a checkpoint directory. */
export const CHECKPOINT_JSON = 'checkpoint.json';
export const CHECKPOINT_BIN = 'checkpoint.bin';

/** Version of the checkpoint layout. */
export const CHECKPOINT_FORMAT_VERSION = 1;

/** A checkpoint: a JSON-serialisable description plus named typed arrays (weights, optimizer slots). */
export interface CheckpointData<M extends object = Record<string, unknown>> {
  readonly meta: M;
  readonly arrays: readonly NamedArray[];
}

interface CheckpointJson {
  readonly format: 'ncf-checkpoint';
  readonly formatVersion: number;
  readonly meta: unknown;
  readonly weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
  readonly weightsIntegrity: { bytes: number; sha256: string };
}

/**
 * Writes a checkpoint to `dir` (`checkpoint.json` + `checkpoint.bin` in tfjs's weights format), replacing the
 * previous one atomically: a crash mid-write leaves the previous checkpoint intact. `fit()` writes one per epoch.
 */
export async function writeCheckpoint(dir: string, data: CheckpointData<object>): Promise<void> {
  const { specs, data: bytes } = encodeArrays(data.arrays, join(dir, CHECKPOINT_BIN));
  const json: CheckpointJson = {
    format: 'ncf-checkpoint',
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    meta: data.meta,
    weightsManifest: [{ paths: [CHECKPOINT_BIN], weights: specs }],
    weightsIntegrity: { bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') },
  };
  await replaceDirAtomically(dir, CHECKPOINT_JSON, async (tmp) => {
    await writeFileDurably(join(tmp, CHECKPOINT_BIN), bytes);
    await writeFileDurably(join(tmp, CHECKPOINT_JSON), `${JSON.stringify(json)}\n`);
  });
}

/**
 * Reads the checkpoint in `dir`; `undefined` when there is none. A damaged checkpoint (bad JSON, newer format,
 * truncated or corrupted arrays) throws {@link ModelFileError} naming the file.
 */
export async function readCheckpoint<M extends object = Record<string, unknown>>(
  dir: string,
): Promise<{ meta: M; arrays: Map<string, NamedArray> } | undefined> {
  const root = await resolveDirForReading(dir);
  const jsonPath = join(root, CHECKPOINT_JSON);
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelFileError(jsonPath, `cannot read checkpoint: ${String(err)}`, { cause: err });
  }
  let json: CheckpointJson;
  try {
    json = JSON.parse(text) as CheckpointJson;
  } catch (err) {
    throw new ModelFileError(jsonPath, `is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (json?.format !== 'ncf-checkpoint' || !Array.isArray(json.weightsManifest)) {
    throw new ModelFileError(jsonPath, 'is not an @ncf checkpoint');
  }
  if (json.formatVersion > CHECKPOINT_FORMAT_VERSION) {
    throw new ModelFileError(
      jsonPath,
      `has checkpoint format version ${json.formatVersion}; this @ncf/core reads up to ${CHECKPOINT_FORMAT_VERSION}`,
    );
  }
  const binPath = join(root, CHECKPOINT_BIN);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(binPath));
  } catch (err) {
    throw new ModelFileError(binPath, `cannot read checkpoint arrays: ${String(err)}`, { cause: err });
  }
  const sha = createHash('sha256').update(bytes).digest('hex');
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const arrays = decodeArrays(specs, bytes, binPath);
  if (json.weightsIntegrity && sha !== json.weightsIntegrity.sha256) {
    throw new ModelFileError(binPath, 'checksum mismatch: the checkpoint is corrupted');
  }
  return { meta: json.meta as M, arrays };
}
