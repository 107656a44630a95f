import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MODEL_JSON,
  NcfError,
  loadModelWithDocument,
  type ModelDocument,
  type ModelRegistry,
  type Recommender,
} from '@ncf/core';
import type { SeenCsr } from './model-calls.js';

/**
 * What the server knows about a model's dataset besides the model file: titles for display and search, and
 * each known user's seen items (to exclude them). Model files hold neither, so the caller that knows the
 * training data (the CLI) supplies them through {@link CatalogLoader}.
 */
export interface Catalog {
  /** Item titles by dense item index. */
  readonly itemTitles?: readonly string[];
  /** Seen items by dense user index (typically the training interactions). */
  readonly seen?: SeenCsr;
}

/** Loads the {@link Catalog} of a model directory, after the model itself loaded. */
export type CatalogLoader = (dir: string, document: ModelDocument, model: Recommender) => Promise<Catalog>;

/** A loaded model with what the routes need: its document, catalog and a version string. */
export interface ServedModel {
  readonly model: Recommender;
  readonly document: ModelDocument;
  readonly catalog: Catalog;
  /** Short content hash of `model.json` (it records the weights' integrity), so two saves differ. */
  readonly version: string;
  readonly dir: string;
  readonly loadedAt: string;
}

/** A lease on the current model: {@link ModelLease.release} it when the request is done. */
export interface ModelLease {
  readonly served: ServedModel;
  release(): void;
}

interface Slot {
  readonly served: ServedModel;
  leases: number;
  retired: boolean;
}

/** Options of {@link ModelHolder}. */
export interface ModelHolderOptions {
  readonly registry: ModelRegistry;
  readonly loadCatalog?: CatalogLoader;
}

/** Loads a model directory into a {@link ServedModel}; a failing catalog disposes the model and throws. */
export async function loadServedModel(dir: string, options: ModelHolderOptions): Promise<ServedModel> {
  const { model, document } = await loadModelWithDocument(dir, { registry: options.registry });
  try {
    const json = await readFile(join(dir, MODEL_JSON));
    const catalog = options.loadCatalog ? await options.loadCatalog(dir, document, model) : {};
    return {
      model,
      document,
      catalog,
      version: createHash('sha256').update(json).digest('hex').slice(0, 12),
      dir,
      loadedAt: new Date().toISOString(),
    };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/**
 * Holds the served model and swaps it atomically: {@link ModelHolder.reload} loads the new model aside (the
 * old one keeps serving), swaps it in one assignment, and disposes the old one once the last request that
 * leased it releases it. A failed reload leaves the old model serving and rethrows why.
 */
export class ModelHolder {
  readonly dir: string;
  readonly #options: ModelHolderOptions;
  #slot: Slot | undefined;
  #reloading: Promise<ServedModel> | undefined;
  #closed = false;

  constructor(dir: string, options: ModelHolderOptions) {
    this.dir = dir;
    this.#options = options;
  }

  /** Whether a model is loaded and the holder is not closed. */
  get ready(): boolean {
    return this.#slot !== undefined && !this.#closed;
  }

  /** The current model without a lease (for metadata); undefined before the first load. */
  get current(): ServedModel | undefined {
    return this.#slot?.served;
  }

  /** Loads the model the first time; throws the model file error as is (fail fast). */
  async load(): Promise<ServedModel> {
    if (this.#slot) return this.#slot.served;
    return this.reload();
  }

  /**
   * Loads `dir` again (the operator replaced its files) and swaps it in. Concurrent calls share one load.
   */
  reload(): Promise<ServedModel> {
    this.#reloading ??= this.#swapIn().finally(() => {
      this.#reloading = undefined;
    });
    return this.#reloading;
  }

  async #swapIn(): Promise<ServedModel> {
    const served = await loadServedModel(this.dir, this.#options);
    if (this.#closed) {
      served.model.dispose();
      throw new NcfError('NOT_READY', `the server closed while ${this.dir} was loading`);
    }
    const old = this.#slot;
    this.#slot = { served, leases: 0, retired: false };
    if (old) this.#retire(old);
    return served;
  }

  /** Leases the current model; throws when none is loaded. */
  acquire(): ModelLease {
    const slot = this.#slot;
    if (!slot || this.#closed)
      throw new NcfError('NOT_READY', 'no model is loaded (not yet, or the server is closing)');
    slot.leases++;
    let released = false;
    return {
      served: slot.served,
      release: () => {
        if (released) return;
        released = true;
        slot.leases--;
        if (slot.retired && slot.leases === 0) slot.served.model.dispose();
      },
    };
  }

  #retire(slot: Slot): void {
    slot.retired = true;
    if (slot.leases === 0) slot.served.model.dispose();
  }

  /** Stops serving: the current model is disposed once its leases are released. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#reloading?.catch(() => undefined);
    const slot = this.#slot;
    if (slot && !slot.retired) this.#retire(slot);
  }
}
