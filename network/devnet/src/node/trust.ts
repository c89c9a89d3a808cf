/**
 * Wires the MSP and policy modules into the narrow interfaces the ledger, endorser, gateway and
 * orderer use (common/trust.ts).
 */
import { readFileSync } from 'node:fs';
import {
  cryptoLayout,
  type NodeMaterial,
  decodeSerializedIdentity,
  MspManager,
  serializeIdentity,
  EcdsaSigner,
  verify,
} from '@veriscan/fabric-kit';
import { compilePolicy, evaluateSignedData, parseSignaturePolicy, requiredOrgs } from '../policy';
import type { EndorsementPolicy, IdentityVerifier, PolicyFactory, Signer } from '../common/trust';

export interface Trust {
  readonly identities: IdentityVerifier;
  readonly policies: PolicyFactory;
}

export async function loadTrust(cryptoDir: string): Promise<Trust> {
  const manager = await MspManager.fromLayout(cryptoLayout(cryptoDir));
  const identities: IdentityVerifier = {
    deserialize: (bytes) => {
      const id = manager.deserialize(bytes);
      return { mspId: id.mspId, role: id.role };
    },
    verify: ({ data, identity, signature }) => {
      try {
        manager.deserialize(identity);
        return verify(decodeSerializedIdentity(identity).certPem, data, signature);
      } catch {
        return false;
      }
    },
  };
  const cache = new Map<string, EndorsementPolicy>();
  const policies: PolicyFactory = {
    parse: (dsl) => {
      const cached = cache.get(dsl);
      if (cached !== undefined) return cached;
      const parsed = parseSignaturePolicy(dsl);
      const compiled = compilePolicy(parsed);
      const policy: EndorsementPolicy = {
        source: dsl,
        requiredOrgs: requiredOrgs(parsed),
        evaluate: (signatures) => evaluateSignedData(compiled, signatures, manager).satisfied,
      };
      cache.set(dsl, policy);
      return policy;
    },
  };
  return { identities, policies };
}

export function loadSigner(mspId: string, certFile: string, keyFile: string): Signer {
  const certPem = readFileSync(certFile, 'utf8');
  const signer = EcdsaSigner.fromPem(readFileSync(keyFile, 'utf8'));
  return { identity: serializeIdentity(mspId, certPem), mspId, sign: (message) => signer.sign(message) };
}

export function nodeSigner(mspId: string, node: NodeMaterial): Signer {
  return loadSigner(mspId, node.signCertFile, node.keyFile);
}
