/** File name of the model description (tfjs `ModelJSON` + the \@ncf document) inside a model directory. */
export const MODEL_JSON = 'model.json';
/** File name of the weights inside a model directory. */
export const WEIGHTS_BIN = 'weights.bin';
