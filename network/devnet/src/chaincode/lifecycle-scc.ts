/**
 * A minimal `_lifecycle` system chaincode (core/chaincode/lifecycle/scc.go), run inside the peer:
 * `CommitChaincodeDefinition(<definition JSON>)` by an org admin defines or upgrades a chaincode,
 * `QueryChaincodeDefinition(<name>)` reads it. Fabric's approve-per-org step is folded into the
 * endorsement policy of `_lifecycle` writes (a majority of orgs must endorse the commit).
 */
import { peer } from '@hyperledger/fabric-protos';
import {
  decodeDefinition,
  definitionKey,
  encodeDefinition,
  LIFECYCLE_NAMESPACE,
  parseDefinition,
  sequenceKey,
} from './lifecycle';
import type { TxSimulator } from './simulator';
import type { VerifiedIdentity } from '../common/trust';

function respond(status: number, message: string, payload?: Uint8Array): peer.Response {
  const res = new peer.Response();
  res.setStatus(status);
  res.setMessage(message);
  if (payload !== undefined) res.setPayload(payload);
  return res;
}

export function invokeLifecycle(
  args: readonly Uint8Array[],
  creator: VerifiedIdentity,
  sim: TxSimulator,
): peer.Response {
  const fn = Buffer.from(args[0] ?? new Uint8Array()).toString('utf8');
  const arg = Buffer.from(args[1] ?? new Uint8Array()).toString('utf8');
  try {
    switch (fn) {
      case 'CommitChaincodeDefinition': {
        if (creator.role !== 'admin') return respond(500, `access denied: ${fn} requires an org admin`);
        const def = parseDefinition(JSON.parse(arg));
        const current = Buffer.from(sim.getState(LIFECYCLE_NAMESPACE, sequenceKey(def.name))).toString(
          'utf8',
        );
        const currentSequence = current === '' ? 0 : Number.parseInt(current, 10);
        if (def.sequence !== currentSequence + 1) {
          return respond(
            500,
            `requested sequence is ${def.sequence}, but new definition must be sequence ${currentSequence + 1}`,
          );
        }
        sim.putState(LIFECYCLE_NAMESPACE, sequenceKey(def.name), Buffer.from(String(def.sequence)));
        sim.putState(LIFECYCLE_NAMESPACE, definitionKey(def.name), encodeDefinition(def));
        return respond(200, '');
      }
      case 'QueryChaincodeDefinition': {
        const stored = sim.getState(LIFECYCLE_NAMESPACE, definitionKey(arg));
        if (stored.length === 0) return respond(404, `namespace ${arg} is not defined`);
        return respond(200, '', encodeDefinition(decodeDefinition(stored)));
      }
      default:
        return respond(500, `invalid lifecycle function: ${fn}`);
    }
  } catch (err) {
    return respond(500, err instanceof Error ? err.message : String(err));
  }
}
