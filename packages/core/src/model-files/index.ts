export { saveModel, modelArtifacts } from './save-model.js';
export { loadModel, loadModelWithDocument, readModelDocument } from './load-model.js';
export type { LoadModelOptions, LoadedModel } from './load-model.js';
export { fileSystemIOHandler, MODEL_JSON, WEIGHTS_BIN } from './fs-io-handler.js';
export type { FileSystemIOHandlerOptions, WeightsIntegrity } from './fs-io-handler.js';
export {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  DATASET_WEIGHT_PREFIX,
  NewerModelFormatError,
} from './model-document.js';
export { libraryVersions } from './library-versions.js';
export type { ModelDocument, DatasetInfoJson, FeatureMatrixJson } from './model-document.js';
export { encodeArrays, decodeArrays } from './weights-codec.js';
export type { NamedArray, EncodedArrays } from './weights-codec.js';
export { readModelWeights, assignModelWeights } from './variable-arrays.js';
