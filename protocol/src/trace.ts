/**
 * The pixel trace: a versioned record that anyone holding the scan, its salt and the model can recompute.
 * Every member that is a function of the scan or the output alone (scan hash, tile root, tensor hash,
 * output hash) appears only as a salted commitment (protocol version 2), so neither the trace nor its hash
 * can be tested against a scan by someone without the salt, wherever the trace travels.
 */
import { type Sha256Hex, toSha256Hex } from './bytes.js';
import { type JsonObject } from './canonical-json.js';
import {
  type Salt,
  outputCommitment,
  scanCommitment,
  tensorCommitment,
  tileRootCommitment,
} from './commitment.js';
import { type ModelId } from './ids.js';
import { type QuantisedOutput, hashOutput } from './output.js';
import {
  type Channels,
  type PixelHeader,
  type PixelImage,
  canonicalSamples,
  hashCanonicalPixels,
  MAX_DIMENSION,
} from './pixels.js';
import { type DeterminismProfile, parseDeterminismProfile } from './profile.js';
import { DomainTag, taggedRecordDigest } from './tagged-hash.js';
import { type Tensor, hashTensor } from './tensor.js';
import { DEFAULT_TILE_SIZE, MAX_TILE_SIZE, tileRootOfCanonical } from './tiles.js';
import { type ProtocolVersion, PROTOCOL_VERSION } from './version.js';
import { invalidRecord } from './errors.js';
import { isModelId, isSemver } from './ids.js';
import { MAX_CLASSES } from './quantize.js';
import { MAX_SCORES } from './output.js';
import { MAX_TENSOR_RANK } from './tensor.js';
import { ObjectReader, readInt, readJsonObject } from './parse/reader.js';

/** The image part of a trace: its shape and the salted commitments to its content. */
export interface TracePixels {
  readonly width: number;
  readonly height: number;
  readonly channels: Channels;
  readonly bitDepth: 8 | 16;
  /** Tile edge used for the tile tree. */
  readonly tileSize: number;
  /** `scanCommitment(salt, hashPixels(image))`. */
  readonly scanCommitment: Sha256Hex;
  /** `tileRootCommitment(salt, tileRoot(image, tileSize))`. */
  readonly tileRootCommitment: Sha256Hex;
}

/** Preprocessing: the parameters from the model's input spec and a commitment to the tensor they produced. */
export interface TracePreprocess {
  /** Parameters as the model spec states them (resize, normalisation, ...), canonicalised with the trace. */
  readonly params: JsonObject;
  readonly tensorShape: readonly number[];
  /** `tensorCommitment(salt, hashTensor(tensor))` of the float32 tensor fed to the model. */
  readonly tensorCommitment: Sha256Hex;
}

/** The model that ran. */
export interface TraceModel {
  readonly id: ModelId;
  /** Semantic version. */
  readonly version: string;
  /** Plain SHA-256 of the ONNX file bytes; must equal the hash registered on the ledger. */
  readonly hash: Sha256Hex;
}

/** The output's shape and a commitment to its canonical quantised form (the values stay off the trace). */
export interface TraceOutput {
  readonly mask: { readonly width: number; readonly height: number; readonly classes: number } | null;
  readonly scoreCount: number;
  /** `outputCommitment(salt, hashOutput(output))`: equal to the receipt's `outputCommitment`. */
  readonly outputCommitment: Sha256Hex;
}

/** The pixel trace record. */
export interface PixelTrace {
  readonly version: ProtocolVersion;
  readonly pixels: TracePixels;
  readonly preprocess: TracePreprocess;
  readonly model: TraceModel;
  readonly output: TraceOutput;
  readonly profile: DeterminismProfile;
}

/** The digests behind a scan's commitments. Secret in the same way as the salt: keep them off the ledger. */
export interface ScanDigests {
  readonly pixelsHash: Sha256Hex;
  readonly tileRoot: Sha256Hex;
  readonly tileSize: number;
  readonly scanCommitment: Sha256Hex;
  readonly tileRootCommitment: Sha256Hex;
}

/**
 * Scan hash, tile root and both commitments in one pass over the samples (16-bit data is byte-swapped once).
 * What the hospital gateway computes before `RequestInference`, and what the lab recomputes to check it.
 * @throws ProtocolError `INVALID_INPUT` on a malformed image, salt or tile size.
 */
export function commitScan(image: PixelImage, salt: Salt, tileSize = DEFAULT_TILE_SIZE): ScanDigests {
  const samples = canonicalSamples(image);
  const pixelsHash = hashCanonicalPixels(image, samples);
  const tileRoot = tileRootOfCanonical(image, samples, tileSize);
  return {
    pixelsHash,
    tileRoot,
    tileSize,
    scanCommitment: scanCommitment(salt, pixelsHash),
    tileRootCommitment: tileRootCommitment(salt, tileRoot),
  };
}

/** Everything a lab has after one inference, from which {@link buildTrace} derives the trace. */
export interface TraceInput {
  readonly image: PixelImage;
  readonly salt: Salt;
  /** Tile edge; defaults to 32. Must match the one the hospital committed with. */
  readonly tileSize?: number;
  readonly preprocess: { readonly params: JsonObject; readonly tensor: Tensor };
  readonly model: { readonly id: string; readonly version: string; readonly hash: Sha256Hex };
  readonly output: QuantisedOutput;
  readonly profile: DeterminismProfile;
}

/**
 * Builds the trace of one inference. The result is run through {@link parseTrace}, so a trace that comes out
 * of here is one every verifier will accept.
 * @throws ProtocolError `INVALID_INPUT` when a payload cannot be hashed, `INVALID_RECORD` (naming the field)
 * when a value breaks the record's rules (model version not semver, zero threads, ...).
 */
export function buildTrace(input: TraceInput): PixelTrace {
  const scan = commitScan(input.image, input.salt, input.tileSize ?? DEFAULT_TILE_SIZE);
  const header: PixelHeader = input.image;
  const { mask, scoresE4 } = input.output;
  return parseTrace({
    version: PROTOCOL_VERSION,
    pixels: {
      width: header.width,
      height: header.height,
      channels: header.channels,
      bitDepth: header.bitDepth,
      tileSize: scan.tileSize,
      scanCommitment: scan.scanCommitment,
      tileRootCommitment: scan.tileRootCommitment,
    },
    preprocess: {
      params: input.preprocess.params,
      tensorShape: [...input.preprocess.tensor.shape],
      tensorCommitment: tensorCommitment(input.salt, hashTensor(input.preprocess.tensor)),
    },
    model: { id: input.model.id, version: input.model.version, hash: input.model.hash },
    output: {
      mask: mask === null ? null : { width: mask.width, height: mask.height, classes: mask.classes },
      scoreCount: scoresE4.length,
      outputCommitment: outputCommitment(input.salt, hashOutput(input.output)),
    },
    profile: { ...input.profile },
  });
}

/** `SHA-256("veriscan/trace/v2" || 0x00 || JCS(trace))`: the hash a receipt carries. */
export function traceHash(trace: PixelTrace): Sha256Hex {
  return toSha256Hex(taggedRecordDigest(DomainTag.trace, trace));
}

/**
 * Parses a pixel trace from untrusted data (already `JSON.parse`d).
 * @throws ProtocolError `INVALID_RECORD` with the dotted path of the first bad field (`trace.pixels.width`).
 */
export function parseTrace(value: unknown, path = 'trace'): PixelTrace {
  const r = new ObjectReader(value, path, ['version', 'pixels', 'preprocess', 'model', 'output', 'profile']);
  return {
    version: r.literal('version', PROTOCOL_VERSION),
    pixels: r.nested('pixels', parsePixels),
    preprocess: r.nested('preprocess', parsePreprocess),
    model: r.nested('model', parseModel),
    output: r.nested('output', parseOutput),
    profile: r.nested('profile', parseDeterminismProfile),
  };
}

function parsePixels(value: unknown, path: string): TracePixels {
  const r = new ObjectReader(value, path, [
    'width',
    'height',
    'channels',
    'bitDepth',
    'tileSize',
    'scanCommitment',
    'tileRootCommitment',
  ]);
  return {
    width: r.int('width', 1, MAX_DIMENSION),
    height: r.int('height', 1, MAX_DIMENSION),
    channels: r.oneOf('channels', [1, 2, 3, 4] as const),
    bitDepth: r.oneOf('bitDepth', [8, 16] as const),
    tileSize: r.int('tileSize', 1, MAX_TILE_SIZE),
    scanCommitment: r.sha256('scanCommitment'),
    tileRootCommitment: r.sha256('tileRootCommitment'),
  };
}

function parsePreprocess(value: unknown, path: string): TracePreprocess {
  const r = new ObjectReader(value, path, ['params', 'tensorShape', 'tensorCommitment']);
  const tensorShape = r.array('tensorShape', MAX_TENSOR_RANK, (v, p) => readInt(v, p, 1, 0xffffffff));
  if (tensorShape.length === 0) invalidRecord(r.path('tensorShape'), 'must have at least one dimension');
  return {
    params: r.nested('params', readJsonObject),
    tensorShape,
    tensorCommitment: r.sha256('tensorCommitment'),
  };
}

function parseModel(value: unknown, path: string): TraceModel {
  const r = new ObjectReader(value, path, ['id', 'version', 'hash']);
  return {
    id: r.branded('id', isModelId, 'a model id (a-z, 0-9, ".", "_", "-"; at most 64)'),
    version: r.branded('version', isSemver, 'a semantic version such as 1.0.0'),
    hash: r.sha256('hash'),
  };
}

function parseOutput(value: unknown, path: string): TraceOutput {
  const r = new ObjectReader(value, path, ['mask', 'scoreCount', 'outputCommitment']);
  const mask = r.nullable('mask', (v, p) => {
    const m = new ObjectReader(v, p, ['width', 'height', 'classes']);
    return {
      width: m.int('width', 1, MAX_DIMENSION),
      height: m.int('height', 1, MAX_DIMENSION),
      classes: m.int('classes', 1, MAX_CLASSES),
    };
  });
  return {
    mask,
    scoreCount: r.int('scoreCount', 0, MAX_SCORES),
    outputCommitment: r.sha256('outputCommitment'),
  };
}
