/** Public surface of the devnet's signature policies (common/policydsl, common/cauthdsl). */
export {
  PRINCIPAL_ROLES,
  type PolicyIdentity,
  type PrincipalRole,
  type RolePrincipal,
  type SignaturePolicy,
  type SignaturePolicyRule,
} from './types.js';
export { PolicyError, type PolicyErrorCode } from './errors.js';
export { formatSignaturePolicy, parseSignaturePolicy } from './parse.js';
export { decodeSignaturePolicy, encodeSignaturePolicy, signaturePolicyToProto } from './envelope.js';
export {
  compilePolicy,
  evaluateIdentities,
  evaluateSignedData,
  satisfiesPrincipal,
  signatureSetToValidIdentities,
  type CompiledPolicy,
  type DroppedSignature,
  type SignedData,
  type SignedDataEvaluation,
} from './evaluate.js';
export { endorsementLayouts, requiredOrgs, type RequiredOrgsOptions } from './required-orgs.js';
export {
  ChannelPolicyManager,
  evaluateSignedDataAgainst,
  type ChannelPolicy,
  type PolicyVerdict,
} from './channel-policies.js';
