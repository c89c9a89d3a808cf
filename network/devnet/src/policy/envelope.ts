/**
 * Conversion between {@link SignaturePolicy} and the protobuf `common.SignaturePolicyEnvelope` that
 * chaincode definitions and channel configs carry (common/policydsl `SignedBy`, `NOutOf`;
 * common/cauthdsl/policy.go `NewPolicy` checks version 0).
 * Only ROLE principals are supported, which is everything the DSL can express.
 */
import { common, msp } from '@hyperledger/fabric-protos';

import { PolicyError } from './errors.js';
import {
  PRINCIPAL_ROLES,
  type PrincipalRole,
  type RolePrincipal,
  type SignaturePolicy,
  type SignaturePolicyRule,
} from './types.js';

const ROLE_TO_PROTO: Readonly<
  Record<PrincipalRole, msp.MSPRole.MSPRoleTypeMap[keyof msp.MSPRole.MSPRoleTypeMap]>
> = {
  member: msp.MSPRole.MSPRoleType.MEMBER,
  admin: msp.MSPRole.MSPRoleType.ADMIN,
  client: msp.MSPRole.MSPRoleType.CLIENT,
  peer: msp.MSPRole.MSPRoleType.PEER,
  orderer: msp.MSPRole.MSPRoleType.ORDERER,
};

function malformed(message: string, cause?: unknown): PolicyError {
  return new PolicyError('POLICY_MALFORMED', message, { cause });
}

function ruleToProto(rule: SignaturePolicyRule): common.SignaturePolicy {
  const out = new common.SignaturePolicy();
  if (rule.kind === 'signed-by') {
    out.setSignedBy(rule.index);
  } else {
    const nOutOf = new common.SignaturePolicy.NOutOf();
    nOutOf.setN(rule.n);
    nOutOf.setRulesList(rule.rules.map(ruleToProto));
    out.setNOutOf(nOutOf);
  }
  return out;
}

/** The policy as a `SignaturePolicyEnvelope` message (version 0). */
export function signaturePolicyToProto(policy: SignaturePolicy): common.SignaturePolicyEnvelope {
  const envelope = new common.SignaturePolicyEnvelope();
  envelope.setVersion(0);
  envelope.setRule(ruleToProto(policy.rule));
  envelope.setIdentitiesList(
    policy.identities.map((p) => {
      const role = new msp.MSPRole();
      role.setMspIdentifier(p.mspId);
      role.setRole(ROLE_TO_PROTO[p.role]);
      const principal = new msp.MSPPrincipal();
      principal.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
      principal.setPrincipal(role.serializeBinary());
      return principal;
    }),
  );
  return envelope;
}

/** The serialized `SignaturePolicyEnvelope`. */
export function encodeSignaturePolicy(policy: SignaturePolicy): Uint8Array {
  return signaturePolicyToProto(policy).serializeBinary();
}

function ruleFromProto(
  rule: common.SignaturePolicy | undefined,
  identityCount: number,
  depth: number,
): SignaturePolicyRule {
  if (rule === undefined) throw malformed('Empty policy element');
  if (depth > 64) throw malformed('policy nested too deeply');
  switch (rule.getTypeCase()) {
    case common.SignaturePolicy.TypeCase.SIGNED_BY: {
      const index = rule.getSignedBy();
      if (index < 0 || index >= identityCount) {
        throw malformed(
          `identity index out of range, requested ${index}, but identities length is ${identityCount}`,
        );
      }
      return { kind: 'signed-by', index };
    }
    case common.SignaturePolicy.TypeCase.N_OUT_OF: {
      const nOutOf = rule.getNOutOf();
      if (nOutOf === undefined) throw malformed('Empty policy element');
      return {
        kind: 'n-out-of',
        n: nOutOf.getN(),
        rules: nOutOf.getRulesList().map((r) => ruleFromProto(r, identityCount, depth + 1)),
      };
    }
    default:
      throw malformed('Empty policy element');
  }
}

function principalFromProto(principal: msp.MSPPrincipal): RolePrincipal {
  if (principal.getPrincipalClassification() !== msp.MSPPrincipal.Classification.ROLE) {
    throw malformed('the devnet supports only ROLE principals');
  }
  let role: msp.MSPRole;
  try {
    role = msp.MSPRole.deserializeBinary(principal.getPrincipal_asU8());
  } catch (cause) {
    throw malformed('could not unmarshal MSPRole from principal', cause);
  }
  const name = PRINCIPAL_ROLES.find((r) => ROLE_TO_PROTO[r] === role.getRole());
  if (name === undefined) throw malformed(`invalid MSP role type ${role.getRole().toString()}`);
  return { mspId: role.getMspIdentifier(), role: name };
}

/**
 * Parses a serialized `SignaturePolicyEnvelope`.
 * @throws PolicyError `POLICY_MALFORMED` if it is not a version-0 envelope of ROLE principals with valid indices.
 */
export function decodeSignaturePolicy(bytes: Uint8Array): SignaturePolicy {
  let envelope: common.SignaturePolicyEnvelope;
  try {
    envelope = common.SignaturePolicyEnvelope.deserializeBinary(bytes);
  } catch (cause) {
    throw malformed('Error unmarshalling to SignaturePolicy', cause);
  }
  if (envelope.getVersion() !== 0) {
    throw malformed(
      `This evaluator only understands messages of version 0, but version was ${envelope.getVersion().toString()}`,
    );
  }
  const identities = envelope.getIdentitiesList().map(principalFromProto);
  return { identities, rule: ruleFromProto(envelope.getRule(), identities.length, 0) };
}
