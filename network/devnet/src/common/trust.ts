/**
 * What the ledger, endorser and gateway need from the MSP and policy layers, kept narrow so those
 * layers (msp/, policy/) can be tested on their own.
 */

export type NodeRole = 'client' | 'peer' | 'admin' | 'orderer';

export interface VerifiedIdentity {
  readonly mspId: string;
  readonly role: NodeRole;
}

/** A signature over `data` by the serialized identity `identity` (common/protoutil SignedData). */
export interface SignedData {
  readonly data: Uint8Array;
  readonly identity: Uint8Array;
  readonly signature: Uint8Array;
}

export interface IdentityVerifier {
  /**
   * Checks the identity chains to a known MSP and carries exactly one NodeOU role.
   * @throws Error when it does not.
   */
  deserialize(serializedIdentity: Uint8Array): VerifiedIdentity;
  /** True when the identity is valid and `signature` is a low-S ECDSA signature over SHA-256(`data`). */
  verify(signed: SignedData): boolean;
}

export interface EndorsementPolicy {
  readonly source: string;
  /** True when the valid, deduplicated signatures satisfy the policy. */
  evaluate(signatures: readonly SignedData[]): boolean;
  /**
   * MSP ids whose peers' endorsements are enough to satisfy the policy: the smallest such set that
   * contains `preferOrg` (the gateway's own org), else the smallest. With `known`, only orgs whose
   * peers the caller can reach count, as Fabric's discovery plans with the peers it knows alive.
   * @throws PolicyError `POLICY_UNSATISFIABLE` (message: discovery's reason) if no peers can satisfy it.
   */
  requiredOrgs(preferOrg?: string, known?: (mspId: string) => boolean): readonly string[];
}

export interface PolicyFactory {
  /** Parses a signature-policy DSL string such as `AND('Org1MSP.peer','Org2MSP.peer')`. @throws PolicyError */
  parse(dsl: string): EndorsementPolicy;
}

export interface Signer {
  /** The serialized identity (msp.SerializedIdentity bytes) of this signer. */
  readonly identity: Uint8Array;
  readonly mspId: string;
  /** DER, low-S ECDSA over SHA-256(message). */
  sign(message: Uint8Array): Uint8Array;
}
