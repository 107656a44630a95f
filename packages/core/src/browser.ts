/**
 * The browser entry of \@ncf/core (`@ncf/core/browser`, and `@ncf/core` under the `browser` export condition):
 * everything a page needs to rebuild a saved model and score with it — the model contract, registry, layers,
 * kernels, scoring by history and recommendation — without a Node module. Models are loaded over HTTP with
 * {@link fetchModel} (the same `loadModelFromArtifacts` Node's `loadModel` runs) on the backend chosen by
 * {@link initBrowserBackend}. Training (`fit`, checkpoints, optimisers) and writing files stay Node-only.
 */
export * from './errors.js';
export * from './rng.js';
export * from './tf.js';
export * from './batch.js';
export * from './csr.js';
export * from './dataset-info.js';
export * from './data-spec.js';
export * from './model.js';
export * from './registry.js';
export * from './backend-state.js';
export * from './browser-backend.js';
export * from './weights-version.js';
export * from './lookup.js';
export * from './dense-stack.js';
export * from './sigmoid-cross-entropy.js';
export * from './row-dot.js';
export * from './segment-ops.js';
export * from './config/index.js';
export * from './layers/index.js';
export * from './top-k.js';
export * from './item-factors.js';
export * from './fold-in.js';
export * from './recommend/index.js';
// The pool's Node workers are never started in a page (`initBrowserBackend` does not), so its kernels take
// their serial paths; the exports are here because model packages call them.
export * from './pool/index.js';
export { MODEL_JSON, WEIGHTS_BIN } from './model-files/file-names.js';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, NewerModelFormatError } from './model-files/model-document.js';
export type { ModelDocument } from './model-files/model-document.js';
export { DATASET_WEIGHT_PREFIX, datasetInfoToJson, datasetInfoFromJson } from './model-files/dataset-json.js';
export type {
  DatasetInfoJson,
  DatasetInputJson,
  FeatureMatrixJson,
  CsrJson,
  GraphJsonV1,
} from './model-files/dataset-json.js';
export { checkModelDocument, loadModelFromArtifacts } from './model-files/load-from-artifacts.js';
export type { ArtifactSources, LoadModelOptions, LoadedModel } from './model-files/load-from-artifacts.js';
export { fetchModel, fetchModelArtifacts } from './model-files/fetch-model.js';
export type { FetchModelOptions } from './model-files/fetch-model.js';
export { encodeArrays, decodeArrays } from './model-files/weights-codec.js';
export type { NamedArray, EncodedArrays } from './model-files/weights-codec.js';
export { readModelWeights, assignModelWeights } from './model-files/variable-arrays.js';
export { saveModel } from './model-files/browser-save-model.js';
