// Waiting for processes to be usable: /healthz for orderers and peers, a TCP accept for chaincode servers,
// and, before `up` reports success, an endorsement through every peer's gateway (which needs discovery to
// have found the other orgs' peers: gossip takes a few seconds after peers start together).
import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { createPrivateKey } from 'node:crypto';
import { CHAINCODE, CHANNEL, ordererNodes } from './topology.mjs';
import { Tx } from '@veriscan/ledger-api/wire';

async function poll(what, timeoutMs, attempt) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const outcome = await attempt();
    if (outcome === true) return;
    last = outcome;
    await delay(250);
  }
  throw new Error(`${what} not ready after ${Math.round(timeoutMs / 1000)}s: ${last}`);
}

/**
 * Resolves when GET `url` answers 200. `alive()` is checked on every try so a crashed process fails fast.
 */
export function waitHealthy(url, what, alive, timeoutMs = 60_000) {
  return poll(what, timeoutMs, async () => {
    if (!alive()) throw new Error(`${what} exited`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return response.status === 200
        ? true
        : `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  });
}

/** Resolves when something accepts TCP connections on 127.0.0.1:port. */
export function waitListening(port, what, alive, timeoutMs = 30_000) {
  return poll(what, timeoutMs, () => {
    if (!alive()) throw new Error(`${what} exited`);
    return new Promise((resolve) => {
      const socket = netConnect({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', (error) => resolve(error.message));
    });
  });
}

/**
 * Resolves when `identity` can get System:Ping endorsed through `peer`'s gateway. Endorse (not evaluate)
 * asks the gateway for a plan satisfying the endorsement policy, so it proves discovery works; nothing is
 * submitted, so the ledger is untouched.
 */
export async function waitGatewayEndorses(peer, identity, timeoutMs = 90_000) {
  const grpc = await import('@grpc/grpc-js');
  const { connect, signers } = await import('@hyperledger/fabric-gateway');
  const client = new grpc.Client(peer.endpoint, grpc.credentials.createSsl(readFileSync(peer.tlsCaFile)), {
    'grpc.ssl_target_name_override': peer.hostAlias,
  });
  const gateway = connect({
    client,
    identity: { mspId: identity.mspId, credentials: readFileSync(identity.certFile) },
    signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(identity.keyFile))),
    evaluateOptions: () => ({ deadline: Date.now() + 5000 }),
    endorseOptions: () => ({ deadline: Date.now() + 15000 }),
  });
  try {
    const contract = gateway.getNetwork(CHANNEL).getContract(CHAINCODE.name);
    await poll(`gateway of ${peer.hostAlias}`, timeoutMs, async () => {
      try {
        await contract.newProposal(Tx.Ping).endorse();
        return true;
      } catch (error) {
        const details = Array.isArray(error?.details) ? error.details.map((d) => d.message).join('; ') : '';
        return `${error instanceof Error ? error.message : String(error)}${details ? ` (${details})` : ''}`;
      }
    });
  } finally {
    gateway.close();
    client.close();
  }
}

/**
 * The orderer leading consensus on the channel, from operations metrics: Raft's `is_leader` gauge, or
 * SmartBFT's `view_leader_id` (consenter ids are orderer index + 1; SmartBFT rotates leaders, so this is a
 * snapshot). Null when no running orderer says.
 */
export async function consensusLeader(topology) {
  for (const node of ordererNodes(topology.orderers)) {
    try {
      const response = await fetch(`http://127.0.0.1:${node.opsPort}/metrics`, {
        signal: AbortSignal.timeout(1000),
      });
      const text = await response.text();
      if (/^consensus_etcdraft_is_leader\{channel="veriscan"\} 1$/m.test(text)) return node.name;
      const bft = /^consensus_smartbft_view_leader_id\{channel="veriscan"\} (\d+)$/m.exec(text);
      if (bft && Number(bft[1]) >= 1) return `orderer${Number(bft[1]) - 1}`;
    } catch {
      // not running: ask the next one
    }
  }
  return null;
}

/** Resolves with the leader's name once a running orderer reports one. */
export async function waitConsensusLeader(topology, timeoutMs = 60_000) {
  let leader = null;
  await poll('consensus leader', timeoutMs, async () => {
    leader = await consensusLeader(topology);
    return leader === null ? 'no orderer reports a leader yet' : true;
  });
  return leader;
}
