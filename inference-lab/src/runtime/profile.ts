/**
 * The determinism profile (protocol §6.1) of this runtime: what a verifier must pin to hope for a bit-identical
 * re-run. Built from the pinned session options, onnxruntime's and sharp's versions and the CPU's widest
 * vector instruction set, which decides which MLAS kernels onnxruntime dispatches to.
 */
import type { DeterminismProfile, ExecutionMode, GraphOptimizationLevel } from '@veriscan/protocol';

/** Instruction sets onnxruntime's MLAS dispatches on, widest first, as /proc/cpuinfo spells them. */
const X86_LEVELS: readonly (readonly [flag: string, name: string])[] = [
  ['avx512f', 'avx512f'],
  ['avx2', 'avx2'],
  ['avx', 'avx'],
  ['sse4_1', 'sse4.1'],
];

/**
 * The widest vector instruction set named in a Linux `/proc/cpuinfo` text (`avx512f`, `avx2`, `avx`,
 * `sse4.1`, `neon` / `asimd` on arm64), or `baseline` when none is listed. Pure: the caller reads the file
 * (this module does no I/O), e.g. `instructionSetFromCpuinfo(readFileSync('/proc/cpuinfo', 'utf8'))`.
 */
export function instructionSetFromCpuinfo(cpuinfo: string): string {
  const flags = new Set<string>();
  for (const line of cpuinfo.split('\n')) {
    const match = /^(flags|Features)\s*:\s*(.*)$/.exec(line);
    if (match?.[2] !== undefined) for (const f of match[2].split(/\s+/)) flags.add(f);
  }
  for (const [flag, name] of X86_LEVELS) if (flags.has(flag)) return name;
  if (flags.has('asimd') || flags.has('neon')) return 'neon';
  return 'baseline';
}

/** Session settings that the store pins and the profile reports. */
export interface SessionSettings {
  readonly intraOpThreads: number;
  readonly interOpThreads: number;
  readonly graphOptimizationLevel: GraphOptimizationLevel;
  readonly executionMode: ExecutionMode;
}

/** The profile of runs made with `settings` on this host. */
export function determinismProfile(input: {
  readonly settings: SessionSettings;
  readonly onnxruntimeVersion: string;
  readonly instructionSet: string;
  readonly sharpVersion: string;
  readonly libvipsVersion: string;
  readonly preprocessAlgorithm: string;
}): DeterminismProfile {
  const { settings } = input;
  return {
    onnxruntimeVersion: input.onnxruntimeVersion,
    executionProvider: 'cpu',
    graphOptimizationLevel: settings.graphOptimizationLevel,
    executionMode: settings.executionMode,
    intraOpThreads: settings.intraOpThreads,
    interOpThreads: settings.interOpThreads,
    cpuArch: process.arch,
    instructionSet: input.instructionSet,
    // PNG and DICOM decoding is lossless and exact; JPEG decoding and nothing else depends on the libvips build.
    preprocessor: `sharp ${input.sharpVersion} / libvips ${input.libvipsVersion} / ${input.preprocessAlgorithm}`,
  };
}
