/**
 * Identifiers shared by records. Branded so a member id cannot be passed where a request id is expected;
 * patterns are strict so ids are safe inside composite keys, log lines and URLs, and so an id can never
 * smuggle personal data in free text.
 */
declare const requestIdBrand: unique symbol;
declare const memberIdBrand: unique symbol;
declare const modelIdBrand: unique symbol;

/** A request id: 1-128 characters of `A-Z a-z 0-9 . _ : -`, starting with a letter or digit. */
export type RequestId = string & { readonly [requestIdBrand]: true };
/** A consortium member id such as `hospital-a` or `lab-1`: 1-64 characters of `a-z 0-9 -`. */
export type MemberId = string & { readonly [memberIdBrand]: true };
/** A model id such as `brain-tissue`: 1-64 characters of `a-z 0-9 . _ -`. */
export type ModelId = string & { readonly [modelIdBrand]: true };

/** Patterns of the identifier types, for parsers and for the spec. */
export const IdPattern = {
  requestId: /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
  memberId: /^[a-z0-9][a-z0-9-]{0,63}$/,
  modelId: /^[a-z0-9][a-z0-9._-]{0,63}$/,
  // Semantic Versioning 2.0.0 without build metadata (which semver says to ignore for precedence, so it
  // would let two spellings name one version).
  semver:
    /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$/,
} as const;

/** True when `value` is a well-formed {@link RequestId}. */
export function isRequestId(value: unknown): value is RequestId {
  return typeof value === 'string' && IdPattern.requestId.test(value);
}

/** True when `value` is a well-formed {@link MemberId}. */
export function isMemberId(value: unknown): value is MemberId {
  return typeof value === 'string' && IdPattern.memberId.test(value);
}

/** True when `value` is a well-formed {@link ModelId}. */
export function isModelId(value: unknown): value is ModelId {
  return typeof value === 'string' && IdPattern.modelId.test(value);
}

/** True when `value` is a Semantic Versioning 2.0.0 version without build metadata. */
export function isSemver(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && IdPattern.semver.test(value);
}

/** How a member id is described in parse errors. */
export const MEMBER_ID_RULE = 'a member id (a-z, 0-9, "-"; at most 64)';
