/** The model registry record (ARCHITECTURE.md §3): one immutable entry per id@version. */
import { fail } from '../infra/errors';
import { canonicalJson } from '../infra/json';
import { parseObject, type ObjectReader } from '../infra/reader';
import {
  arrayOf,
  finite,
  hexDigest,
  integer,
  isoTime,
  memberId,
  modelId,
  oneOf,
  semver,
  text,
  type HexDigest,
  type ModelId,
  type Parser,
  type Semver,
} from '../infra/scalars';
import { mspIdParser } from './member';
import { type ModelVersionRecord } from '@veriscan/ledger-api/wire';

export const ModelStatus = ['proposed', 'approved', 'deprecated', 'revoked'] as const;
export type ModelStatus = (typeof ModelStatus)[number];

export const NormalisationMode = ['none', 'min-max', 'z-score', 'fixed'] as const;
export type NormalisationMode = (typeof NormalisationMode)[number];

/** How pixels become the model's input tensor; `fixed` uses `mean` and `std`, the others ignore them (0 and 1). */
export type Normalisation = { readonly mode: NormalisationMode; readonly mean: number; readonly std: number };

export type InputSpec = {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly normalisation: Normalisation;
};

export type OutputSpec = { readonly kind: 'mask' | 'scores'; readonly classes: readonly string[] };

/** What a lab proposes: everything about a model version except its consortium status. */
export type ModelSpec = {
  readonly modelId: ModelId;
  readonly version: Semver;
  readonly onnxSha256: HexDigest;
  readonly input: InputSpec;
  readonly output: OutputSpec;
  readonly licence: string;
  readonly description: string;
};

export type ModelVersion = ModelVersionRecord;

const normalisation: Parser<Normalisation> = (value, path) =>
  parseObject(value, path, (r) => {
    const mode = r.field('mode', oneOf(NormalisationMode));
    const mean = r.optional('mean', finite(-1e9, 1e9));
    const std = r.optional('std', finite(1e-12, 1e9));
    if (mode === 'fixed' && (mean === undefined || std === undefined)) {
      fail('INVALID_ARGUMENT', `${path} mode fixed needs mean and std`);
    }
    return { mode, mean: mean ?? 0, std: std ?? 1 };
  });

const inputSpec: Parser<InputSpec> = (value, path) =>
  parseObject(value, path, (r) => ({
    width: r.field('width', integer(1, 8192)),
    height: r.field('height', integer(1, 8192)),
    channels: r.field('channels', integer(1, 4)),
    normalisation: r.field('normalisation', normalisation),
  }));

const className = text({ min: 1, max: 64, pattern: /^[A-Za-z0-9 _./-]+$/, expect: 'a class name' });

const outputSpec: Parser<OutputSpec> = (value, path) =>
  parseObject(value, path, (r) => {
    const kind = r.field('kind', oneOf(['mask', 'scores'] as const));
    const classes = r.field('classes', arrayOf(className, 1, 256));
    if (new Set(classes).size !== classes.length) fail('INVALID_ARGUMENT', `${path}.classes has duplicates`);
    return { kind, classes };
  });

function readSpec(r: ObjectReader): ModelSpec {
  return {
    modelId: r.field('modelId', modelId),
    version: r.field('version', semver),
    onnxSha256: r.field('onnxSha256', hexDigest),
    input: r.field('input', inputSpec),
    output: r.field('output', outputSpec),
    licence: r.field('licence', text({ min: 1, max: 128 })),
    description: r.field('description', text({ min: 0, max: 1024 })),
  };
}

/** Parses a `ProposeModel` argument (no unknown fields). */
export const parseModelSpec: Parser<ModelSpec> = (value, path) => parseObject(value, path, readSpec);

/** Parses a stored model record. */
export const parseModelVersion: Parser<ModelVersion> = (value, path) =>
  parseObject(value, path, (r) => ({
    ...readSpec(r),
    status: r.field('status', oneOf(ModelStatus)),
    proposedBy: r.field('proposedBy', memberId),
    approvals: r.field('approvals', arrayOf(mspIdParser, 0, 16)),
    proposedAt: r.field('proposedAt', isoTime),
    updatedAt: r.field('updatedAt', isoTime),
  }));

/** `id@1.2.0` or `id@approved` (the newest approved version). */
export type ModelRef = { readonly modelId: ModelId; readonly version: Semver | 'approved' };

/** A model reference as a request carries it, before {@link parseModelRef} splits it (3..100 characters). */
export const modelRefText: Parser<string> = text({ min: 3, max: 100 });

/** Parses a model reference string. */
export const parseModelRef: Parser<ModelRef> = (value, path) => {
  const raw = modelRefText(value, path);
  const at = raw.lastIndexOf('@');
  if (at <= 0) return fail('INVALID_ARGUMENT', `${path} must be id@version or id@approved`);
  const id = modelId(raw.slice(0, at), `${path} id`);
  const version = raw.slice(at + 1);
  return { modelId: id, version: version === 'approved' ? 'approved' : semver(version, `${path} version`) };
};

/** Orders versions numerically (`1.10.0` after `1.9.0`). */
export function compareSemver(a: Semver, b: Semver): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** True when two specs are the same version content (used for idempotent re-proposal). */
export function sameSpec(a: ModelSpec, b: ModelSpec): boolean {
  return (
    a.onnxSha256 === b.onnxSha256 &&
    canonicalJson([a.input, a.output, a.licence, a.description]) ===
      canonicalJson([b.input, b.output, b.licence, b.description])
  );
}
