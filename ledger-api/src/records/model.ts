/** The model registry (chaincode `domain/model.ts`): one immutable record per id@version. */
import {
  isMemberId,
  isModelId,
  isSha256Hex,
  type MemberId,
  type ModelId,
  type Sha256Hex,
} from '@veriscan/protocol';
import {
  checked,
  isFiniteNumber,
  isIsoTime,
  isMspId,
  isNonEmptyString,
  isPositive,
  isString,
  isVersion,
  objectAt,
  oneOf,
  readArray,
  readField,
  readNested,
  refuse,
  type Check,
  type Semver,
} from './fields';

/** A model version's consortium status. */
export const ModelStatus = ['proposed', 'approved', 'deprecated', 'revoked'] as const;
/** A model status. */
export type ModelStatus = (typeof ModelStatus)[number];

/** How pixels are normalised into the input tensor. */
export const NormalisationMode = ['none', 'min-max', 'z-score', 'fixed'] as const;
/** A normalisation mode. */
export type NormalisationMode = (typeof NormalisationMode)[number];

/** What a model outputs: a class mask or class scores. */
export const OutputKind = ['mask', 'scores'] as const;
/** An output kind. */
export type OutputKind = (typeof OutputKind)[number];

/** True for a {@link ModelStatus}. */
export const isModelStatus: Check<ModelStatus> = oneOf(ModelStatus);

/** Normalisation; `fixed` uses `mean` and `std`, the other modes carry 0 and 1. */
export type ModelNormalisation = {
  readonly mode: NormalisationMode;
  readonly mean: number;
  readonly std: number;
};

/** The model's input tensor. */
export type ModelInputSpec = {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly normalisation: ModelNormalisation;
};

/** The model's output. */
export type ModelOutputSpec = {
  readonly kind: OutputKind;
  readonly classes: readonly string[];
};

/** A stored model version (GetModel, ResolveModel, ProposeModel, ApproveModel, DeprecateModel; revoked by a `revoke-model` proposal). */
export type ModelVersionRecord = {
  readonly modelId: ModelId;
  readonly version: Semver;
  readonly onnxSha256: Sha256Hex;
  readonly input: ModelInputSpec;
  readonly output: ModelOutputSpec;
  readonly licence: string;
  readonly description: string;
  readonly status: ModelStatus;
  readonly proposedBy: MemberId;
  /** MSP ids of the orgs whose admins approved, sorted. */
  readonly approvals: readonly string[];
  readonly proposedAt: string;
  readonly updatedAt: string;
};

/** ListModels' answer: the matching versions in key order. */
export type ModelList = {
  readonly models: readonly ModelVersionRecord[];
};

const isNormalisationMode: Check<NormalisationMode> = oneOf(NormalisationMode);
const isOutputKind: Check<OutputKind> = oneOf(OutputKind);

// The chaincode's own record parser treats mean and std as optional (defaults 0 and 1), so do the same.
function parseNormalisation(value: unknown, what: string): ModelNormalisation {
  const o = objectAt(value, what);
  const mode = readField(o, 'mode', what, isNormalisationMode, 'a normalisation mode');
  const optionalNumber = (key: string, fallback: number): number => {
    const raw = o[key];
    if (raw === undefined || raw === null) {
      if (mode === 'fixed') refuse(`${what}.${key} must be a number for mode fixed`);
      return fallback;
    }
    return readField(o, key, what, isFiniteNumber, 'a number');
  };
  return { mode, mean: optionalNumber('mean', 0), std: optionalNumber('std', 1) };
}

function parseInputSpec(value: unknown, what: string): ModelInputSpec {
  const o = objectAt(value, what);
  return {
    width: readField(o, 'width', what, isPositive, 'a positive integer'),
    height: readField(o, 'height', what, isPositive, 'a positive integer'),
    channels: readField(o, 'channels', what, isPositive, 'a positive integer'),
    normalisation: readNested(o, 'normalisation', what, parseNormalisation),
  };
}

function parseOutputSpec(value: unknown, what: string): ModelOutputSpec {
  const o = objectAt(value, what);
  return {
    kind: readField(o, 'kind', what, isOutputKind, 'an output kind'),
    classes: readArray(o, 'classes', what, checked(isNonEmptyString, 'a class name')),
  };
}

/** Parses a stored model version record. */
export function parseModelVersionRecord(value: unknown, what = 'model'): ModelVersionRecord {
  const o = objectAt(value, what);
  return {
    modelId: readField(o, 'modelId', what, isModelId, 'a model id'),
    version: readField(o, 'version', what, isVersion, 'a version'),
    onnxSha256: readField(o, 'onnxSha256', what, isSha256Hex, 'a hex digest'),
    input: readNested(o, 'input', what, parseInputSpec),
    output: readNested(o, 'output', what, parseOutputSpec),
    licence: readField(o, 'licence', what, isNonEmptyString, 'a licence'),
    description: readField(o, 'description', what, isString, 'a string'),
    status: readField(o, 'status', what, isModelStatus, 'a model status'),
    proposedBy: readField(o, 'proposedBy', what, isMemberId, 'a member id'),
    approvals: readArray(o, 'approvals', what, checked(isMspId, 'an MSP id')),
    proposedAt: readField(o, 'proposedAt', what, isIsoTime, 'an ISO time'),
    updatedAt: readField(o, 'updatedAt', what, isIsoTime, 'an ISO time'),
  };
}

/** Parses ListModels' `{models}`. */
export function parseModelList(value: unknown, what = 'modelList'): ModelList {
  const o = objectAt(value, what);
  return { models: readArray(o, 'models', what, parseModelVersionRecord) };
}

const MODEL_REF = /^(.+)@([^@]+)$/;

/** A model reference `id@1.2.0` or `id@approved`, as a request stores it. */
export const isModelRef: Check<string> = (value): value is string => {
  if (typeof value !== 'string' || value.length > 100) return false;
  const match = MODEL_REF.exec(value);
  const id = match?.[1];
  const version = match?.[2];
  return isModelId(id) && (version === 'approved' || isVersion(version));
};
