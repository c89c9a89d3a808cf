/** Parser for the pixel trace record (see `trace.ts` for the meaning of each field). */
import { invalidRecord } from '../errors.js';
import { isModelId, isSemver } from '../ids.js';
import { MAX_CLASSES } from '../quantize.js';
import { MAX_SCORES } from '../output.js';
import { MAX_DIMENSION } from '../pixels.js';
import {
  type DeterminismProfile,
  ExecutionMode,
  GraphOptimizationLevel,
  PROFILE_FIELDS,
} from '../profile.js';
import { MAX_TENSOR_RANK } from '../tensor.js';
import { MAX_TILE_SIZE } from '../tiles.js';
import type { PixelTrace, TraceModel, TraceOutput, TracePixels, TracePreprocess } from '../trace.js';
import { PROTOCOL_VERSION } from '../version.js';
import { ObjectReader, readInt, readJsonObject } from './reader.js';

/** Patterns of the determinism profile's free-text fields: short, printable, no room for personal data. */
export const ProfilePattern = {
  version: /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/,
  token: /^[a-z0-9][a-z0-9._-]{0,31}$/,
  label: /^[\x20-\x7e]{1,128}$/,
} as const;

/** Most threads a profile may name. */
export const MAX_THREADS = 1024;

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
  const r = new ObjectReader(value, path, ['params', 'tensorShape', 'tensorHash']);
  const tensorShape = r.array('tensorShape', MAX_TENSOR_RANK, (v, p) => readInt(v, p, 1, 0xffffffff));
  if (tensorShape.length === 0) invalidRecord(r.path('tensorShape'), 'must have at least one dimension');
  return {
    params: r.nested('params', readJsonObject),
    tensorShape,
    tensorHash: r.sha256('tensorHash'),
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
  const r = new ObjectReader(value, path, ['mask', 'scoreCount', 'hash']);
  const mask = r.nullable('mask', (v, p) => {
    const m = new ObjectReader(v, p, ['width', 'height', 'classes']);
    return {
      width: m.int('width', 1, MAX_DIMENSION),
      height: m.int('height', 1, MAX_DIMENSION),
      classes: m.int('classes', 1, MAX_CLASSES),
    };
  });
  return { mask, scoreCount: r.int('scoreCount', 0, MAX_SCORES), hash: r.sha256('hash') };
}

/**
 * Parses a determinism profile.
 * @throws ProtocolError `INVALID_RECORD` naming the bad field.
 */
export function parseDeterminismProfile(value: unknown, path = 'profile'): DeterminismProfile {
  const r = new ObjectReader(value, path, PROFILE_FIELDS);
  return {
    onnxruntimeVersion: r.string('onnxruntimeVersion', ProfilePattern.version, 'a version such as 1.20.1'),
    executionProvider: r.string('executionProvider', ProfilePattern.token, 'a lowercase token such as "cpu"'),
    graphOptimizationLevel: r.oneOf('graphOptimizationLevel', Object.values(GraphOptimizationLevel)),
    executionMode: r.oneOf('executionMode', Object.values(ExecutionMode)),
    intraOpThreads: r.int('intraOpThreads', 1, MAX_THREADS),
    interOpThreads: r.int('interOpThreads', 1, MAX_THREADS),
    cpuArch: r.string('cpuArch', ProfilePattern.token, 'a lowercase token such as "x64"'),
    instructionSet: r.string('instructionSet', ProfilePattern.token, 'a lowercase token such as "avx2"'),
    preprocessor: r.string('preprocessor', ProfilePattern.label, '1-128 printable ASCII characters'),
  };
}
