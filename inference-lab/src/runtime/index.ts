/**
 * The inference runtime: canonical scan decoding (@veriscan/imaging), the model's preprocessing, verified
 * model loading with cached onnxruntime sessions, quantised postprocessing and the pixel trace. Used by the lab
 * service and by the regulator's verifier. No I/O except reading the model files handed to `ModelStore.load`.
 */
export {
  InferenceError,
  type ModelHashMismatch,
  ModelHashMismatchError,
  ModelManifestError,
  RuntimeError,
  RuntimeErrorCode,
  ScanCommitmentMismatchError,
  ScanDecodeError,
} from './errors.js';
export {
  MAX_INPUT_PIXELS,
  ScanMediaType,
  decodeDicom,
  decodeRasterImage,
  decodeScan,
  resolveMediaType,
  sniffMediaType,
} from './decode-scan.js';
export {
  type InputSpec,
  type ModelManifest,
  type OutputSpec,
  type RegistrySpec,
  POSTPROCESS_ALGORITHM,
  PREPROCESS_ALGORITHM,
  parseModelManifest,
  registrySpec,
} from './manifest.js';
export {
  type LetterboxGeometry,
  letterboxGeometry,
  normalisedGrey,
  preprocessLetterbox,
} from './preprocess.js';
export { preprocess } from './preprocess-spec.js';
export {
  type Logits,
  type ScoresDocument,
  encodeMaskPng,
  encodeScoresJson,
  quantiseOutput,
  scoresDocument,
} from './postprocess.js';
export { type SessionSettings, determinismProfile, instructionSetFromCpuinfo } from './profile.js';
export { type LoadedModel, type ModelSource, type ModelStoreOptions, ModelStore } from './model-store.js';
export { type InferenceInput, type InferenceResult, reRunAndVerify, runInference } from './run-inference.js';
