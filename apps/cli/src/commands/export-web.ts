import { copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MODEL_JSON, WEIGHTS_BIN, loadModelWithDocument, type IdMapJson } from '@ncf/core';
import type { CliIo } from '../cli-io.js';
import { startBackend, type GlobalOptions } from '../global-options.js';
import { toText } from '../option-values.js';
import { cliRegistry } from '../wiring/registry.js';
import { cliCatalogLoader } from '../wiring/serve-catalog.js';
import { webDistDir } from '../wiring/web-dist.js';

/** Options of `ncf export-web`. */
export interface ExportWebCommandOptions extends GlobalOptions {
  readonly modelDir?: unknown;
  readonly out?: unknown;
  readonly data?: unknown;
  readonly webDist?: unknown;
}

/** One catalogue entry of `catalog.json`: external id, title when the data has one, training count. */
export interface WebCatalogItem {
  readonly id: string | number;
  readonly title?: string;
  readonly popularity: number;
}

/** `ncf-web.json`: what tells the page to run in-browser, and where its files are. */
export interface WebSiteConfig {
  readonly mode: 'browser';
  /** Folder (relative to the page) holding `model.json` and `weights.bin`. */
  readonly model: string;
  /** The catalogue file (relative to the page). */
  readonly catalog: string;
  /** The data the model was trained on, as recorded in `model.json` (for the page's "model and data" line). */
  readonly data?: unknown;
}

/**
 * `ncf export-web --model-dir <dir> --out <site>`: a static folder that recommends in the browser with no server
 * beyond static files: the built page of `@ncf/web`, the model files unchanged (`model/model.json`,
 * `model/weights.bin`), `catalog.json` (ids, titles from the training data, training counts) and `ncf-web.json`.
 * The page rebuilds the model with \@ncf/core's browser entry and scores with the code the server runs.
 */
export async function runExportWeb(options: ExportWebCommandOptions, io: CliIo): Promise<void> {
  const modelDir = path.resolve(toText(options.modelDir, 'modelDir'));
  const out = path.resolve(toText(options.out, 'out'));
  const dataFlag = options.data === undefined ? undefined : toText(options.data, 'data');
  const dist = webDistDir(options.webDist === undefined ? undefined : toText(options.webDist, 'webDist'));
  await startBackend(options, io);
  // Loading validates the model (a bad one fails here, not in a visitor's browser) and gives its id maps.
  const { model, document } = await loadModelWithDocument(modelDir, { registry: cliRegistry() });
  try {
    const catalog = await cliCatalogLoader(dataFlag, io)(modelDir, document, model);
    const { info } = model;
    const counts = new Float64Array(info.numItems);
    if (info.itemCounts) counts.set(info.itemCounts);
    else if (catalog.seen) {
      // The seen-items CSR names its column array `items` today and `indices` under core's one Csr type.
      const seen = catalog.seen as { items?: Int32Array; indices?: Int32Array };
      for (const i of seen.indices ?? seen.items ?? []) counts[i]! += 1;
    }
    const ids: IdMapJson['ids'] | undefined = info.itemIds?.ids;
    const items: WebCatalogItem[] = [];
    for (let i = 0; i < info.numItems; i++) {
      const title = catalog.itemTitles?.[i];
      const id = ids ? ids[i]! : i;
      items.push(
        title === undefined ? { id, popularity: counts[i]! } : { id, title, popularity: counts[i]! },
      );
    }
    mkdirSync(out, { recursive: true });
    cpSync(dist, out, { recursive: true });
    const modelOut = path.join(out, 'model');
    mkdirSync(modelOut, { recursive: true });
    copyFileSync(path.join(modelDir, MODEL_JSON), path.join(modelOut, MODEL_JSON));
    copyFileSync(path.join(modelDir, WEIGHTS_BIN), path.join(modelOut, WEIGHTS_BIN));
    writeFileSync(path.join(out, 'catalog.json'), `${JSON.stringify({ items })}\n`);
    const data = (document.training as { data?: unknown }).data;
    const config: WebSiteConfig = {
      mode: 'browser',
      model: 'model/',
      catalog: 'catalog.json',
      ...(data !== undefined ? { data } : {}),
    };
    writeFileSync(path.join(out, 'ncf-web.json'), `${JSON.stringify(config, null, 2)}\n`);
    io.out(
      `exported ${document.kind} (${info.numItems} items${catalog.itemTitles ? ', with titles' : ''}) and the page to ${out}`,
    );
  } finally {
    model.dispose();
  }
}
