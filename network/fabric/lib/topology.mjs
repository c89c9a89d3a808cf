// The native network's shape: orgs, nodes, ports and where each node's files live, derived from the one
// consortium table (fabric-kit/src/consortium.ts). Ports sit above the devnet's so both networks can run
// side by side.
import { join, resolve } from 'node:path';

let consortium;
try {
  consortium = await import('@veriscan/fabric-kit/consortium');
} catch (error) {
  throw new Error(
    `the consortium table is not built (${error instanceof Error ? error.message : String(error)}): run \`npm run build\` first`,
    { cause: error },
  );
}
const {
  CHAINCODE_NAME,
  CHANNEL_ID,
  ENDORSEMENT_POLICY,
  FABRIC_ORDERER_PORTS,
  ORDERER_ORG,
  orgDomain,
  peerName,
} = consortium;

/** The one application channel. */
export const CHANNEL = CHANNEL_ID;

/** The chaincode definition every org approves; bump `sequence` whenever any field or a package changes. */
export const CHAINCODE = Object.freeze({
  name: CHAINCODE_NAME,
  label: `${CHAINCODE_NAME}_1.0`,
  version: '1.0',
  sequence: 1,
  // The regulator reads but never endorses: its peer must not count towards a write.
  policy: ENDORSEMENT_POLICY,
});

export const ORDERER_DOMAIN = orgDomain(ORDERER_ORG);
export const ORDERER_MSP_ID = ORDERER_ORG.mspId;

/**
 * Peer orgs, one peer each. `peerPort` serves Endorser, Deliver and the Gateway; `chaincodePort` is where the
 * org's own chaincode server listens (each org runs its own, as in a real consortium, so `getMspID()` in the
 * chaincode is that org's).
 */
export const PEER_ORGS = Object.freeze(
  consortium.PEER_ORGS.map((org) =>
    Object.freeze({
      key: org.key,
      orgName: org.orgName,
      mspId: org.mspId,
      peerPort: org.ports.fabricPeer,
      opsPort: org.ports.fabricOperations,
      chaincodePort: org.ports.fabricChaincode,
      users: org.users.map((u) => u.member),
      domain: orgDomain(org),
      peerName: peerName(org),
    }),
  ),
);

/** Consensus choices: Raft with 1 or 3 orderers, or SmartBFT with 4 (tolerates one faulty orderer). */
export const TOPOLOGIES = Object.freeze({
  'raft-1': { consensus: 'raft', orderers: 1, profile: 'VeriscanRaft1' },
  'raft-3': { consensus: 'raft', orderers: 3, profile: 'VeriscanRaft3' },
  'bft-4': { consensus: 'bft', orderers: 4, profile: 'VeriscanBFT4' },
});

/**
 * The orderers of a topology: orderer<i> listens on 17050 + 100·i (Broadcast, Deliver and cluster traffic),
 * its osnadmin API on 17053 + 100·i, operations (/healthz, /metrics) on 19443 + i.
 */
export function ordererNodes(count) {
  return Array.from({ length: count }, (_, index) => ({
    index,
    name: `orderer${index}`,
    host: `orderer${index}.${ORDERER_DOMAIN}`,
    port: FABRIC_ORDERER_PORTS.base + FABRIC_ORDERER_PORTS.step * index,
    adminPort:
      FABRIC_ORDERER_PORTS.base + FABRIC_ORDERER_PORTS.step * index + FABRIC_ORDERER_PORTS.adminOffset,
    opsPort: FABRIC_ORDERER_PORTS.operationsBase + index,
  }));
}

/**
 * Every path the launcher reads or writes, from the repository root. VERISCAN_HOME moves the state folder
 * (default `<repo>/.veriscan`), as it does for the devnet, so both networks share the crypto material there.
 */
export function layout(root, env = process.env) {
  const veriscan = env.VERISCAN_HOME ? resolve(env.VERISCAN_HOME) : join(root, '.veriscan');
  const state = join(veriscan, 'fabric');
  return {
    root,
    veriscan,
    crypto: join(veriscan, 'crypto'),
    profile: join(veriscan, 'network.json'),
    state,
    stateFile: join(state, 'state.json'),
    logs: join(state, 'logs'),
    pids: join(state, 'pids'),
    data: join(state, 'data'),
    renderedConfig: join(state, 'config'),
    channelBlock: join(state, 'channel', `${CHANNEL}.block`),
    packages: join(state, 'packages'),
    configDir: join(root, 'network', 'fabric', 'config'),
    builderDir: join(root, 'network', 'fabric', 'builders', 'ccaas'),
    chaincodeDir: join(root, 'chaincode'),
  };
}

/** cryptogen's layout, which the project's generator follows. */
export function cryptoPaths(cryptoDir) {
  const ordererOrg = join(cryptoDir, 'ordererOrganizations', ORDERER_DOMAIN);
  const peerOrg = (org) => join(cryptoDir, 'peerOrganizations', org.domain);
  return {
    ordererOrg,
    ordererTlsCa: join(ordererOrg, 'tlsca', `tlsca.${ORDERER_DOMAIN}-cert.pem`),
    ordererAdmin: join(ordererOrg, 'users', `Admin@${ORDERER_DOMAIN}`),
    orderer: (node) => join(ordererOrg, 'orderers', node.host),
    peerOrg,
    peerTlsCa: (org) => join(peerOrg(org), 'tlsca', `tlsca.${org.domain}-cert.pem`),
    peer: (org) => join(peerOrg(org), 'peers', `peer0.${org.domain}`),
    admin: (org) => join(peerOrg(org), 'users', `Admin@${org.domain}`),
    user: (org, name) => join(peerOrg(org), 'users', `${name}@${org.domain}`),
  };
}
