/**
 * model.json: everything the runtime needs to run one model version the way it was built, and the exact
 * `ProposeModel` spec the lab submits to the model registry. The runtime implements one preprocessing and one
 * postprocessing algorithm per name; a manifest asking for anything else is refused rather than approximated,
 * because the trace would then claim parameters that were not what ran.
 */
import { type JsonObject, type Sha256Hex, isModelId, isSemver, isSha256Hex } from '@veriscan/protocol';
import { ModelManifestError } from './errors.js';

/** The preprocessing this runtime implements (see preprocess.ts). */
export const PREPROCESS_ALGORITHM = 'letterbox-bilinear-minmax/v1';
/** The postprocessing this runtime implements (see postprocess.ts). */
export const POSTPROCESS_ALGORITHM = 'argmax-tissue-fractions/v1';

/** Normalisation modes the model registry knows (chaincode `NormalisationMode`). */
export const NORMALISATION_MODES = ['none', 'min-max', 'z-score', 'fixed'] as const;
/** One of {@link NORMALISATION_MODES}. */
export type NormalisationMode = (typeof NORMALISATION_MODES)[number];

function isNormalisationMode(value: unknown): value is NormalisationMode {
  return NORMALISATION_MODES.some((m) => m === value);
}

/** The registry's input spec. */
export interface InputSpec {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly normalisation: { readonly mode: NormalisationMode; readonly mean?: number; readonly std?: number };
}

/** The registry's output spec. */
export interface OutputSpec {
  readonly kind: 'mask' | 'scores';
  readonly classes: readonly string[];
}

/** One ONNX tensor's name and shape. */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly type: 'float32';
}

/** A parsed model.json. */
export interface ModelManifest {
  readonly modelId: string;
  readonly version: string;
  /** SHA-256 of the ONNX file as built; the approved on-chain hash is what the store checks against. */
  readonly onnxSha256: Sha256Hex;
  readonly input: InputSpec;
  readonly output: OutputSpec;
  readonly licence: string;
  readonly description: string;
  readonly onnx: {
    readonly file: string;
    readonly sizeBytes: number;
    readonly opset: number;
    readonly input: TensorSpec;
    readonly output: TensorSpec;
  };
  /** Preprocessing parameters; recorded verbatim as the trace's `preprocess.params`. */
  readonly preprocess: JsonObject;
  readonly postprocess: { readonly algorithm: string; readonly scores: readonly string[] };
}

/** The argument of the chaincode's `ProposeModel` (Models contract), taken from a manifest. */
export interface RegistrySpec {
  readonly modelId: string;
  readonly version: string;
  readonly onnxSha256: Sha256Hex;
  readonly input: InputSpec;
  readonly output: OutputSpec;
  readonly licence: string;
  readonly description: string;
}

function fail(path: string, reason: string): never {
  throw new ModelManifestError(`model.json ${path}: ${reason}`);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, path: string): Readonly<Record<string, unknown>> {
  if (!isRecord(value)) fail(path, 'must be an object');
  return value;
}

function str(value: unknown, path: string, max = 1024): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    fail(path, `must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

function int(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(path, `must be an integer in [${min}, ${max}]`);
  }
  return value;
}

function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'must be a finite number');
  return value;
}

function strings(value: unknown, path: string): readonly string[] {
  if (!Array.isArray(value) || value.length === 0) fail(path, 'must be a non-empty array');
  return value.map((v, i) => str(v, `${path}[${i}]`, 64));
}

function shape(value: unknown, path: string): readonly number[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 8)
    fail(path, 'must be 1 to 8 dimensions');
  return value.map((d, i) => int(d, `${path}[${i}]`, 1, 65_535));
}

/** JSON values only (no undefined, functions or non-finite numbers), as the trace's canonical JSON needs. */
function jsonObject(value: unknown, path: string): JsonObject {
  const check = (v: unknown, p: string, depth: number): void => {
    if (depth > 8) fail(p, 'is nested too deeply');
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      finite(v, p);
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        check(item, `${p}[${i}]`, depth + 1);
      });
      return;
    }
    if (isRecord(v)) {
      for (const [k, item] of Object.entries(v)) check(item, `${p}.${k}`, depth + 1);
      return;
    }
    fail(p, 'must be JSON');
  };
  const obj = record(value, path);
  check(obj, path, 0);
  // Checked above: every member is a JSON value.
  return obj as JsonObject;
}

function tensorSpec(value: unknown, path: string): TensorSpec {
  const r = record(value, path);
  if (r.type !== 'float32') fail(`${path}.type`, 'must be "float32"');
  return { name: str(r.name, `${path}.name`, 128), shape: shape(r.shape, `${path}.shape`), type: 'float32' };
}

function inputSpec(value: unknown): InputSpec {
  const r = record(value, 'input');
  const n = record(r.normalisation, 'input.normalisation');
  const mode = n.mode;
  if (!isNormalisationMode(mode)) {
    fail('input.normalisation.mode', `must be one of ${NORMALISATION_MODES.join(', ')}`);
  }
  return {
    width: int(r.width, 'input.width', 1, 8192),
    height: int(r.height, 'input.height', 1, 8192),
    channels: int(r.channels, 'input.channels', 1, 4),
    normalisation: {
      mode,
      ...(n.mean === undefined ? {} : { mean: finite(n.mean, 'input.normalisation.mean') }),
      ...(n.std === undefined ? {} : { std: finite(n.std, 'input.normalisation.std') }),
    },
  };
}

function outputSpec(value: unknown): OutputSpec {
  const r = record(value, 'output');
  if (r.kind !== 'mask' && r.kind !== 'scores') fail('output.kind', 'must be "mask" or "scores"');
  const classes = strings(r.classes, 'output.classes');
  if (new Set(classes).size !== classes.length) fail('output.classes', 'has duplicates');
  return { kind: r.kind, classes };
}

/**
 * Parses model.json (already JSON-decoded) and checks that this runtime can run it as specified.
 * @throws ModelManifestError naming the offending member.
 */
export function parseModelManifest(value: unknown): ModelManifest {
  const r = record(value, '(root)');
  const modelId = str(r.modelId, 'modelId', 64);
  if (!isModelId(modelId)) fail('modelId', 'must match ^[a-z0-9][a-z0-9._-]{0,63}$');
  const version = str(r.version, 'version', 64);
  if (!isSemver(version)) fail('version', 'must be a semantic version');
  if (!isSha256Hex(r.onnxSha256)) fail('onnxSha256', 'must be 64 lowercase hex characters');
  const onnx = record(r.onnx, 'onnx');
  const file = str(onnx.file, 'onnx.file', 128);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.onnx$/.test(file))
    fail('onnx.file', 'must be a plain file name ending .onnx');
  const input = inputSpec(r.input);
  const output = outputSpec(r.output);
  const manifest: ModelManifest = {
    modelId,
    version,
    onnxSha256: r.onnxSha256,
    input,
    output,
    licence: str(r.licence, 'licence', 128),
    description: typeof r.description === 'string' ? r.description : fail('description', 'must be a string'),
    onnx: {
      file,
      sizeBytes: int(onnx.sizeBytes, 'onnx.sizeBytes', 1, 2 ** 31),
      opset: int(onnx.opset, 'onnx.opset', 1, 1000),
      input: tensorSpec(onnx.input, 'onnx.input'),
      output: tensorSpec(onnx.output, 'onnx.output'),
    },
    preprocess: jsonObject(r.preprocess, 'preprocess'),
    postprocess: (() => {
      const p = record(r.postprocess, 'postprocess');
      return {
        algorithm: str(p.algorithm, 'postprocess.algorithm', 64),
        scores: strings(p.scores, 'postprocess.scores'),
      };
    })(),
  };
  checkSupported(manifest);
  return manifest;
}

/** The parts of the manifest this runtime must implement exactly. */
function checkSupported(m: ModelManifest): void {
  const { input, onnx, output } = m;
  if (m.preprocess.algorithm !== PREPROCESS_ALGORITHM) {
    fail('preprocess.algorithm', `this runtime implements only ${PREPROCESS_ALGORITHM}`);
  }
  if (m.preprocess.size !== input.width || input.width !== input.height) {
    fail('preprocess.size', 'must equal input.width and input.height');
  }
  if (input.channels !== 1 || input.normalisation.mode !== 'min-max') {
    fail('input', `${PREPROCESS_ALGORITHM} feeds one min-max normalised channel`);
  }
  const expectIn = [1, 1, input.height, input.width];
  if (onnx.input.shape.join('x') !== expectIn.join('x'))
    fail('onnx.input.shape', `must be ${expectIn.join('x')}`);
  const expectOut = [1, output.classes.length, input.height, input.width];
  if (onnx.output.shape.join('x') !== expectOut.join('x')) {
    fail('onnx.output.shape', `must be ${expectOut.join('x')} (one logit plane per class)`);
  }
  if (output.kind !== 'mask') fail('output.kind', `${POSTPROCESS_ALGORITHM} produces a mask`);
  if (output.classes.length > 256) fail('output.classes', 'at most 256 classes fit a uint8 class map');
  if (m.postprocess.algorithm !== POSTPROCESS_ALGORITHM) {
    fail('postprocess.algorithm', `this runtime implements only ${POSTPROCESS_ALGORITHM}`);
  }
  if (m.postprocess.scores.length !== output.classes.length) {
    fail(
      'postprocess.scores',
      `${POSTPROCESS_ALGORITHM} yields ${output.classes.length} scores (one fraction per tissue class and the mean confidence)`,
    );
  }
}

/** The `ProposeModel` argument for this model version (the chaincode rejects any other member). */
export function registrySpec(m: ModelManifest): RegistrySpec {
  return {
    modelId: m.modelId,
    version: m.version,
    onnxSha256: m.onnxSha256,
    input: m.input,
    output: m.output,
    licence: m.licence,
    description: m.description,
  };
}
