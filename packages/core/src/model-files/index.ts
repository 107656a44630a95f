export { saveModel, modelArtifacts } from './save-model.js';
export { loadModel, loadModelWithDocument, readModelDocument } from './load-model.js';
export type { LoadModelOptions, LoadedModel } from './load-model.js';
export { fileSystemIOHandler, MODEL_JSON, WEIGHTS_BIN } from './fs-io-handler.js';
export type { FileSystemIOHandlerOptions, WeightsIntegrity } from './fs-io-handler.js';
export {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  NewerModelFormatError,
  libraryVersions,
} from './model-document.js';
export type { ModelDocument } from './model-document.js';
export { DATASET_WEIGHT_PREFIX, datasetInfoToJson, datasetInfoFromJson } from './dataset-json.js';
export type {
  DatasetInfoJson,
  DatasetInputJson,
  FeatureMatrixJson,
  CsrJson,
  GraphJsonV1,
} from './dataset-json.js';
export { encodeArrays, decodeArrays } from './weights-codec.js';
export type { NamedArray, EncodedArrays } from './weights-codec.js';
export { readModelWeights, assignModelWeights } from './variable-arrays.js';
