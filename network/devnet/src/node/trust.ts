/**
 * Wires the MSP and policy modules into the narrow interfaces the ledger, endorser, gateway and
 * orderer use (common/trust.ts). A node trusts its channel's configuration ({@link channelTrust}):
 * whatever MSPs the configuration in force defines. {@link loadTrust} is the trust of a tool beside
 * the network that holds no channel configuration (an auditor checking blocks, a test): the MSP
 * folders of the crypto material, as block 0 was built from them.
 */
import { readFileSync } from 'node:fs';
import {
  cryptoLayout,
  type IdentityDeserializer,
  type NodeMaterial,
  decodeSerializedIdentity,
  MspManager,
  serializeIdentity,
  EcdsaSigner,
  verify,
} from '@veriscan/fabric-kit';
import type { ChannelConfig } from '../channelconfig/channel-config';
import { isPolicyReference, resolvePolicyReference } from '../channelconfig/reference-policy';
import { compilePolicy, evaluateSignedData, parseSignaturePolicy, requiredOrgs } from '../policy';
import type { EndorsementPolicy, IdentityVerifier, PolicyFactory, Signer } from '../common/trust';

export interface Trust {
  readonly identities: IdentityVerifier;
  readonly policies: PolicyFactory;
}

/**
 * A node's trust: the identities and policies of its channel's configuration in force. A policy given
 * as a channel configuration reference (`/Channel/Application/...`) is resolved against the
 * configuration in force each time it is asked for, so an org added by an update counts at once.
 */
export function channelTrust(channel: ChannelConfig): Trust {
  const signaturePolicies = createPolicyFactory(channel.deserializer);
  // Resolved once per configuration sequence: every proposal and every transaction asks.
  const resolved = new Map<string, string>();
  const resolve = (reference: string): string => {
    const { config, sequence } = channel.current;
    const key = `${sequence}|${reference}`;
    let dsl = resolved.get(key);
    if (dsl === undefined) {
      dsl = resolvePolicyReference(config, reference);
      resolved.set(key, dsl);
    }
    return dsl;
  };
  return {
    identities: channel.identities,
    policies: {
      parse: (source) => signaturePolicies.parse(isPolicyReference(source) ? resolve(source) : source),
    },
  };
}

/** The MSPs of the crypto folder's orgs, for tools that hold no channel configuration. */
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
  const policies = createPolicyFactory(manager);
  return { identities, policies };
}

/**
 * Signature policies from their DSL text, parsed and compiled once per text; `deserializer` checks
 * the identities of the signatures a policy evaluates.
 */
export function createPolicyFactory(deserializer: IdentityDeserializer): PolicyFactory {
  const cache = new Map<string, EndorsementPolicy>();
  return {
    parse: (dsl) => {
      const cached = cache.get(dsl);
      if (cached !== undefined) return cached;
      const parsed = parseSignaturePolicy(dsl);
      const compiled = compilePolicy(parsed);
      // Planned lazily: a policy no peers can satisfy still parses, and validation marks it failed.
      const plans = new Map<string, readonly string[]>();
      const policyOrgs = [...new Set(parsed.identities.map((id) => id.mspId))];
      const policy: EndorsementPolicy = {
        source: dsl,
        requiredOrgs: (preferOrg, known) => {
          const unknown = known === undefined ? [] : policyOrgs.filter((org) => !known(org));
          const key = `${preferOrg ?? ''}|${unknown.join(',')}`;
          let orgs = plans.get(key);
          if (orgs === undefined) {
            // An org whose peer cannot be reached contributes no peer to any layout.
            const peersPerOrg = Object.fromEntries(unknown.map((org) => [org, 0]));
            orgs = requiredOrgs(parsed, { ...(preferOrg === undefined ? {} : { preferOrg }), peersPerOrg });
            plans.set(key, orgs);
          }
          return orgs;
        },
        evaluate: (signatures) => evaluateSignedData(compiled, signatures, deserializer).satisfied,
      };
      cache.set(dsl, policy);
      return policy;
    },
  };
}

export function loadSigner(mspId: string, certFile: string, keyFile: string): Signer {
  const certPem = readFileSync(certFile, 'utf8');
  const signer = EcdsaSigner.fromPem(readFileSync(keyFile, 'utf8'));
  return { identity: serializeIdentity(mspId, certPem), mspId, sign: (message) => signer.sign(message) };
}

export function nodeSigner(mspId: string, node: NodeMaterial): Signer {
  return loadSigner(mspId, node.signCertFile, node.keyFile);
}
