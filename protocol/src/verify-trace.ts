/**
 * Trace verification: compare a claimed trace with one recomputed from the scan, its salt, the model and a
 * re-run, field group by field group. A list of named checks rather than a boolean, so a verifier can say
 * *what* differs: a different tensor commitment points at preprocessing, an equal tensor but a different output at
 * the model run, a different profile explains (without excusing) a different output.
 */
import { canonicalize } from './canonical-json.js';
import { PROFILE_FIELDS } from './profile.js';
import type { PixelTrace } from './trace.js';

/**
 * `integrity`: the claimed result or its inputs differ, the trace does not verify. `environment`: the
 * determinism profile differs; the re-run was not pinned the same way, which matters only if an integrity
 * check failed too.
 */
export type TraceCheckKind = 'integrity' | 'environment';

/** One named comparison. */
export interface TraceCheck {
  /** Dotted name, e.g. `output.outputCommitment`, `profile.intraOpThreads`. */
  readonly name: string;
  readonly kind: TraceCheckKind;
  readonly passed: boolean;
  /** The claimed value as canonical JSON. */
  readonly claimed: string;
  /** The recomputed value as canonical JSON. */
  readonly recomputed: string;
}

/** The outcome of {@link verifyTrace}. */
export interface TraceVerification {
  /** True when every integrity check passed. */
  readonly ok: boolean;
  /** True when every environment check passed too (the re-run was pinned exactly as the original). */
  readonly samePinnedEnvironment: boolean;
  readonly checks: readonly TraceCheck[];
  /** Names of the failed checks of either kind, in check order. */
  readonly failed: readonly string[];
}

/** Names of the integrity checks, in the order {@link verifyTrace} reports them. */
export const INTEGRITY_CHECKS = [
  'version',
  'pixels.shape',
  'pixels.scanCommitment',
  'pixels.tileRootCommitment',
  'preprocess.params',
  'preprocess.tensorShape',
  'preprocess.tensorCommitment',
  'model.ref',
  'model.hash',
  'output.shape',
  'output.outputCommitment',
] as const;

/**
 * Compares `claimed` with `recomputed` (built by the verifier with `buildTrace` from the scan, the salt the
 * hospital handed over, the registered model and its own re-run).
 */
export function verifyTrace(claimed: PixelTrace, recomputed: PixelTrace): TraceVerification {
  const shapeOf = (t: PixelTrace): unknown => ({
    width: t.pixels.width,
    height: t.pixels.height,
    channels: t.pixels.channels,
    bitDepth: t.pixels.bitDepth,
    tileSize: t.pixels.tileSize,
  });
  const pick: Record<(typeof INTEGRITY_CHECKS)[number], (t: PixelTrace) => unknown> = {
    version: (t) => t.version,
    'pixels.shape': shapeOf,
    'pixels.scanCommitment': (t) => t.pixels.scanCommitment,
    'pixels.tileRootCommitment': (t) => t.pixels.tileRootCommitment,
    'preprocess.params': (t) => t.preprocess.params,
    'preprocess.tensorShape': (t) => t.preprocess.tensorShape,
    'preprocess.tensorCommitment': (t) => t.preprocess.tensorCommitment,
    'model.ref': (t) => ({ id: t.model.id, version: t.model.version }),
    'model.hash': (t) => t.model.hash,
    'output.shape': (t) => ({ mask: t.output.mask, scoreCount: t.output.scoreCount }),
    'output.outputCommitment': (t) => t.output.outputCommitment,
  };
  const checks: TraceCheck[] = INTEGRITY_CHECKS.map((name) =>
    compare(name, 'integrity', pick[name](claimed), pick[name](recomputed)),
  );
  for (const field of PROFILE_FIELDS) {
    checks.push(
      compare(`profile.${field}`, 'environment', claimed.profile[field], recomputed.profile[field]),
    );
  }
  return {
    ok: checks.every((c) => c.kind !== 'integrity' || c.passed),
    samePinnedEnvironment: checks.every((c) => c.kind !== 'environment' || c.passed),
    checks,
    failed: checks.filter((c) => !c.passed).map((c) => c.name),
  };
}

function compare(name: string, kind: TraceCheckKind, claimed: unknown, recomputed: unknown): TraceCheck {
  const a = canonicalize(claimed);
  const b = canonicalize(recomputed);
  return { name, kind, passed: a === b, claimed: a, recomputed: b };
}
