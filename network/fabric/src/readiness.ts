/**
 * Waiting for processes to be usable: /healthz for orderers and peers (their TCP listeners through
 * fabric-kit's `waitForPort`), a consensus leader from the orderers' metrics, and, before `up` reports
 * success, an endorsement through every peer's gateway (which needs discovery to have found the other
 * orgs' peers: gossip takes a few seconds after peers start together).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { adminMemberId, connectGateway, type NetworkProfile } from '@veriscan/fabric-kit';
import { Tx } from '@veriscan/ledger-api/wire';
import { FabricNetworkError, messageOf } from './errors';
import { CHAINCODE, CHANNEL, ordererNodes, type FabricPeerOrg, type Topology } from './topology';

/** One try's outcome: ready with a value, or what is still wrong. */
type Outcome<T> =
  { readonly ready: true; readonly value: T } | { readonly ready: false; readonly reason: string };

const ready = <T>(value: T): Outcome<T> => ({ ready: true, value });
const notYet = (reason: string): Outcome<never> => ({ ready: false, reason });

/**
 * Retries `attempt` every 250 ms until it is ready, and resolves with its value.
 * @throws FabricNetworkError `NOT_READY` with the last reason after `timeoutMs`; whatever `attempt` throws.
 */
async function poll<T>(what: string, timeoutMs: number, attempt: () => Promise<Outcome<T>>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const outcome = await attempt();
    if (outcome.ready) return outcome.value;
    last = outcome.reason;
    await sleep(250);
  }
  throw new FabricNetworkError(
    'NOT_READY',
    `${what} not ready after ${Math.round(timeoutMs / 1000)}s: ${last}`,
  );
}

/**
 * Resolves when GET `url` answers 200. `alive()` is checked on every try so a crashed process fails fast.
 * @throws FabricNetworkError `NOT_RUNNING` when the process exits, `NOT_READY` after `timeoutMs`.
 */
export function waitHealthy(
  url: string,
  what: string,
  alive: () => boolean,
  timeoutMs = 60_000,
): Promise<void> {
  return poll(what, timeoutMs, async () => {
    if (!alive()) throw new FabricNetworkError('NOT_RUNNING', `${what} exited`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return response.status === 200
        ? ready(undefined)
        : notYet(`HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
    } catch (error) {
      return notYet(messageOf(error));
    }
  });
}

/** fabric-gateway errors carry each endorser's answer in `details`. */
function detailsOf(error: unknown): string {
  if (typeof error !== 'object' || error === null || !('details' in error) || !Array.isArray(error.details))
    return '';
  return (error.details as unknown[])
    .map((d) => (typeof d === 'object' && d !== null && 'message' in d ? String(d.message) : String(d)))
    .join('; ');
}

/**
 * Resolves when `org`'s admin can get `Tx.Ping` endorsed through `org`'s peer gateway. Endorse (not
 * evaluate) asks the gateway for a plan satisfying the endorsement policy, so it proves discovery works;
 * nothing is submitted, so the ledger is untouched.
 * @throws FabricNetworkError `NOT_READY` after `timeoutMs`.
 */
export async function waitGatewayEndorses(
  profile: NetworkProfile,
  org: FabricPeerOrg,
  timeoutMs = 90_000,
): Promise<void> {
  const peer = profile.peers[org.peerName];
  const connection = connectGateway(profile, adminMemberId(org), org.peerName, {
    evaluateMs: 5000,
    endorseMs: 15000,
  });
  try {
    const contract = connection.gateway.getNetwork(CHANNEL).getContract(CHAINCODE.name);
    await poll(`gateway of ${peer?.hostAlias ?? org.peerName}`, timeoutMs, async () => {
      try {
        await contract.newProposal(Tx.Ping).endorse();
        return ready(undefined);
      } catch (error) {
        const details = detailsOf(error);
        return notYet(`${messageOf(error)}${details !== '' ? ` (${details})` : ''}`);
      }
    });
  } finally {
    connection.close();
  }
}

const RAFT_LEADER = new RegExp(`^consensus_etcdraft_is_leader\\{channel="${CHANNEL}"\\} 1$`, 'm');
const BFT_LEADER = new RegExp(`^consensus_smartbft_view_leader_id\\{channel="${CHANNEL}"\\} (\\d+)$`, 'm');

/**
 * The orderer leading consensus on the channel, from operations metrics: Raft's `is_leader` gauge, or
 * SmartBFT's `view_leader_id` (consenter ids are orderer index + 1; SmartBFT rotates leaders, so this is a
 * snapshot). Null when no running orderer says.
 */
export async function consensusLeader(topology: Topology): Promise<string | null> {
  for (const node of ordererNodes(topology.orderers)) {
    try {
      const response = await fetch(`http://127.0.0.1:${node.opsPort}/metrics`, {
        signal: AbortSignal.timeout(1000),
      });
      const text = await response.text();
      if (RAFT_LEADER.test(text)) return node.name;
      const bft = BFT_LEADER.exec(text);
      if (bft !== null && Number(bft[1]) >= 1) return `orderer${Number(bft[1]) - 1}`;
    } catch {
      // not running: ask the next one
    }
  }
  return null;
}

/**
 * Resolves with the leader's name once a running orderer reports one.
 * @throws FabricNetworkError `NOT_READY` after `timeoutMs`.
 */
export function waitConsensusLeader(topology: Topology, timeoutMs = 60_000): Promise<string> {
  return poll('consensus leader', timeoutMs, async () => {
    const leader = await consensusLeader(topology);
    return leader === null ? notYet('no orderer reports a leader yet') : ready(leader);
  });
}
