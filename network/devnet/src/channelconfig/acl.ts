/**
 * The peer's ACL check on proposals (core/aclmgmt: `peer/Propose`, checked by the endorser for every
 * application chaincode, core/endorser/endorser.go `preProcess`): the policy the channel
 * configuration's Application `ACLs` value names for the resource (Veriscan's configtx names
 * `/Channel/Application/Writers`), evaluated over the proposal's creator and signature with the
 * configuration in force. Refusals carry Fabric's text.
 */
import { peer } from '@hyperledger/fabric-protos';
import type { SignedData } from '../common/trust';
import { evaluateSignedDataAgainst } from '../policy/channel-policies';
import type { ChannelConfig } from './channel-config';

/** The resource proposals are checked against (core/aclmgmt/resources `Peer_Propose`). */
export const PEER_PROPOSE = 'peer/Propose';
/** Fabric's default when the configuration names no policy for `peer/Propose` (defaultaclprovider.go). */
const DEFAULT_PROPOSE_POLICY = '/Channel/Application/Writers';

/** The policy path the configuration in force names for `resource`. */
function aclPolicyPath(channel: ChannelConfig, resource: string): string {
  const value = channel.current.config
    .getChannelGroup()
    ?.getGroupsMap()
    .get('Application')
    ?.getValuesMap()
    .get('ACLs');
  if (value === undefined) return DEFAULT_PROPOSE_POLICY;
  const ref = peer.ACLs.deserializeBinary(value.getValue_asU8()).getAclsMap().get(resource)?.getPolicyRef();
  return ref === undefined || ref === '' ? DEFAULT_PROPOSE_POLICY : ref;
}

/**
 * `peer/Propose` on the channel's configuration in force: undefined when the signed proposal may be
 * endorsed, else Fabric's refusal text.
 */
export function checkProposeAcl(channel: ChannelConfig, signed: SignedData): string | undefined {
  const path = aclPolicyPath(channel, PEER_PROPOSE);
  const { policy } = channel.current.policies.getPolicy(path);
  const verdict = evaluateSignedDataAgainst(policy, [signed], channel.deserializer);
  return verdict.satisfied
    ? undefined
    : `failed evaluating policy on signed data during check policy [${path}]: [${verdict.reason}]`;
}
