/**
 * The determinism profile: the settings that decide whether two onnxruntime runs can be bit-identical.
 * onnxruntime does not promise repeatability across versions, execution providers, optimisation levels,
 * thread counts or instruction sets, so a trace records all of them and a verifier who wants a bit-exact
 * re-run pins the same ones.
 */
import { ObjectReader } from './parse/reader.js';

/** onnxruntime's graph optimisation levels, by their onnxruntime-node names. */
export const GraphOptimizationLevel = {
  disabled: 'disabled',
  basic: 'basic',
  extended: 'extended',
  all: 'all',
} as const;
/** One of {@link GraphOptimizationLevel}. */
export type GraphOptimizationLevel = (typeof GraphOptimizationLevel)[keyof typeof GraphOptimizationLevel];

/** onnxruntime's execution modes. */
export const ExecutionMode = { sequential: 'sequential', parallel: 'parallel' } as const;
/** One of {@link ExecutionMode}. */
export type ExecutionMode = (typeof ExecutionMode)[keyof typeof ExecutionMode];

/** Everything a verifier must pin to hope for a bit-identical re-run. */
export interface DeterminismProfile {
  /** onnxruntime version, e.g. `1.20.1`. */
  readonly onnxruntimeVersion: string;
  /** Execution provider, e.g. `cpu`. */
  readonly executionProvider: string;
  readonly graphOptimizationLevel: GraphOptimizationLevel;
  readonly executionMode: ExecutionMode;
  /** Threads inside one operator; must be explicit (onnxruntime's 0 means "as many as cores", i.e. unpinned). */
  readonly intraOpThreads: number;
  /** Threads across operators; explicit for the same reason. */
  readonly interOpThreads: number;
  /** CPU architecture as Node names it, e.g. `x64`, `arm64`. */
  readonly cpuArch: string;
  /** Widest vector instruction set the kernels used, e.g. `avx512f`, `avx2`, `sse4.1`, `neon`. */
  readonly instructionSet: string;
  /** Image library that resized and normalised the input, with version, e.g. `sharp 0.33.5 / libvips 8.15.3`. */
  readonly preprocessor: string;
}

/** Field names of {@link DeterminismProfile} in a fixed order, for checks and parsers. */
export const PROFILE_FIELDS = [
  'onnxruntimeVersion',
  'executionProvider',
  'graphOptimizationLevel',
  'executionMode',
  'intraOpThreads',
  'interOpThreads',
  'cpuArch',
  'instructionSet',
  'preprocessor',
] as const satisfies readonly (keyof DeterminismProfile)[];

/** Patterns of the determinism profile's free-text fields: short, printable, no room for personal data. */
export const ProfilePattern = {
  version: /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/,
  token: /^[a-z0-9][a-z0-9._-]{0,31}$/,
  label: /^[\x20-\x7e]{1,128}$/,
} as const;

/** Most threads a profile may name. */
export const MAX_THREADS = 1024;

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
