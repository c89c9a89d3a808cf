/**
 * Environment for each process: the stock yaml in network/fabric/config plus per-node ORDERER_* / CORE_*
 * overrides. Inherited CORE_*, ORDERER_* and FABRIC_CFG_PATH are dropped so a developer's shell settings for
 * another network cannot leak into this one.
 */
import { join } from 'node:path';
import {
  ordererAdminMaterial,
  ordererMaterial,
  ordererOrgMaterial,
  peerAdminMaterial,
  peerMaterial,
  peerOrgMaterial,
} from './crypto';
import {
  ORDERER_MSP_ID,
  launcherCryptoLayout,
  type FabricPeerOrg,
  type LauncherPaths,
  type OrdererNode,
} from './topology';

/** A process's whole environment. */
export type ProcessEnv = Record<string, string>;

function baseEnv(paths: LauncherPaths): ProcessEnv {
  const env: ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(CORE_|ORDERER_)/.test(key) || key === 'FABRIC_CFG_PATH') continue;
    env[key] = value;
  }
  env.FABRIC_CFG_PATH = paths.configDir;
  env.FABRIC_LOGGING_SPEC = process.env.FABRIC_LOGGING_SPEC ?? 'info';
  return env;
}

/** Environment of orderer `node`. */
export function ordererEnv(paths: LauncherPaths, node: OrdererNode): ProcessEnv {
  const layout = launcherCryptoLayout(paths);
  const orderer = ordererMaterial(layout, node);
  const data = join(paths.data, node.name);
  const tlsCa = ordererOrgMaterial(layout).tlsCaCertFile;
  return {
    ...baseEnv(paths),
    ORDERER_GENERAL_LISTENADDRESS: '127.0.0.1',
    ORDERER_GENERAL_LISTENPORT: String(node.port),
    ORDERER_GENERAL_LOCALMSPID: ORDERER_MSP_ID,
    ORDERER_GENERAL_LOCALMSPDIR: orderer.mspDir,
    ORDERER_GENERAL_TLS_ENABLED: 'true',
    ORDERER_GENERAL_TLS_PRIVATEKEY: orderer.tlsKeyFile,
    ORDERER_GENERAL_TLS_CERTIFICATE: orderer.tlsCertFile,
    ORDERER_GENERAL_TLS_ROOTCAS: `[${orderer.tlsCaCertFile}]`,
    // Raft and SmartBFT traffic reuses the general listener; each orderer authenticates with its TLS pair.
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: orderer.tlsCertFile,
    ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: orderer.tlsKeyFile,
    ORDERER_FILELEDGER_LOCATION: join(data, 'ledger'),
    ORDERER_CONSENSUS_WALDIR: join(data, 'wal'),
    ORDERER_CONSENSUS_SNAPDIR: join(data, 'snapshot'),
    ORDERER_OPERATIONS_LISTENADDRESS: `127.0.0.1:${node.opsPort}`,
    ORDERER_ADMIN_LISTENADDRESS: `127.0.0.1:${node.adminPort}`,
    ORDERER_ADMIN_TLS_ENABLED: 'true',
    ORDERER_ADMIN_TLS_CERTIFICATE: orderer.tlsCertFile,
    ORDERER_ADMIN_TLS_PRIVATEKEY: orderer.tlsKeyFile,
    ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
    ORDERER_ADMIN_TLS_CLIENTROOTCAS: `[${tlsCa}]`,
  };
}

/** Environment of `org`'s peer. */
export function peerEnv(paths: LauncherPaths, org: FabricPeerOrg): ProcessEnv {
  const peer = peerMaterial(launcherCryptoLayout(paths), org);
  const data = join(paths.data, org.peerName);
  const self = `127.0.0.1:${org.peerPort}`;
  return {
    ...baseEnv(paths),
    CORE_PEER_ID: peer.host,
    CORE_PEER_LISTENADDRESS: self,
    CORE_PEER_ADDRESS: self,
    CORE_PEER_CHAINCODELISTENADDRESS: `127.0.0.1:${org.peerPort + 1}`,
    CORE_PEER_CHAINCODEADDRESS: `127.0.0.1:${org.peerPort + 1}`,
    // Discovery only hands out peers that publish an external endpoint; without it the gateway cannot
    // find the other org's endorser. Bootstrap on itself: the stock default is another org's port here.
    CORE_PEER_GOSSIP_EXTERNALENDPOINT: self,
    CORE_PEER_GOSSIP_BOOTSTRAP: self,
    CORE_PEER_LOCALMSPID: org.mspId,
    CORE_PEER_MSPCONFIGPATH: peer.mspDir,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_CERT_FILE: peer.tlsCertFile,
    CORE_PEER_TLS_KEY_FILE: peer.tlsKeyFile,
    CORE_PEER_TLS_ROOTCERT_FILE: peer.tlsCaCertFile,
    CORE_PEER_FILESYSTEMPATH: data,
    CORE_LEDGER_SNAPSHOTS_ROOTDIR: join(data, 'snapshots'),
    CORE_OPERATIONS_LISTENADDRESS: `127.0.0.1:${org.opsPort}`,
    CORE_VM_ENDPOINT: '',
    CORE_CHAINCODE_EXTERNALBUILDERS: JSON.stringify([{ name: 'veriscan-ccaas', path: paths.builderDir }]),
  };
}

/** Environment for the `peer` CLI acting as `org`'s admin against its own peer. */
export function peerAdminEnv(paths: LauncherPaths, org: FabricPeerOrg): ProcessEnv {
  const layout = launcherCryptoLayout(paths);
  return {
    ...baseEnv(paths),
    CORE_PEER_LOCALMSPID: org.mspId,
    CORE_PEER_MSPCONFIGPATH: peerAdminMaterial(layout, org).mspDir,
    CORE_PEER_ADDRESS: `127.0.0.1:${org.peerPort}`,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: peerOrgMaterial(layout, org).tlsCaCertFile,
  };
}

/** Environment of `org`'s chaincode server: the shim needs the MSP id for getMspID(). */
export function chaincodeServerEnv(paths: LauncherPaths, org: FabricPeerOrg): ProcessEnv {
  return { ...baseEnv(paths), CORE_PEER_LOCALMSPID: org.mspId };
}

/** osnadmin's mutual-TLS arguments, as the orderer org's admin. */
export function osnadminTlsArgs(paths: LauncherPaths): string[] {
  const layout = launcherCryptoLayout(paths);
  const admin = ordererAdminMaterial(layout);
  return [
    '--ca-file',
    ordererOrgMaterial(layout).tlsCaCertFile,
    '--client-cert',
    admin.tlsCertFile,
    '--client-key',
    admin.tlsKeyFile,
  ];
}
