/**
 * The determinism profile: the settings that decide whether two onnxruntime runs can be bit-identical.
 * onnxruntime does not promise repeatability across versions, execution providers, optimisation levels,
 * thread counts or instruction sets, so a trace records all of them and a verifier who wants a bit-exact
 * re-run pins the same ones.
 */

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
