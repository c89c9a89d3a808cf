/**
 * @veriscan/fabric-kit: what every Veriscan process needs to reach a Fabric network (the devnet or
 * real Fabric alike): the consortium table, the connection profile (parsing, building, writing), a
 * fabric-gateway connection, identities, the X.509/MSP code, the crypto-material generator, the
 * channel configuration (block 0), and the process supervision both network launchers use.
 */
export * from './consortium.js';
export { consortiumFetch, type ConsortiumFetch } from './consortium-https.js';
export { FabricKitError, FabricKitErrorCode } from './errors.js';
export {
  buildNetworkProfile,
  parseNetworkProfile,
  readNetworkProfile,
  removeNetworkProfileIfWrittenBy,
  writeNetworkProfile,
  type IdentityProfile,
  type NetworkProfile,
  type NetworkProfileSource,
  type PeerEndpoint,
  type PeerProfile,
} from './profile.js';
export { connectGateway, type GatewayConnection, type GatewayDeadlines } from './gateway.js';
export {
  acceptsConnections,
  assertPortFree,
  isPortInUse,
  isProcessAlive,
  isSupervisedProcessRunning,
  logFilePath,
  pidFilePath,
  readRunningPid,
  removePidFile,
  startSupervisedProcess,
  stopProcessByPidFile,
  stopSupervisedProcess,
  tailOfLog,
  waitForPort,
  type StartProcessOptions,
  type StopOptions,
  type SupervisedProcess,
  type SupervisorDirs,
  type WaitForPortOptions,
} from './supervisor.js';
export { veriscanPaths, type VeriscanPaths } from './paths.js';
export {
  addedOrgsFile,
  allOrgs,
  allPeerOrgs,
  networkCryptoLayout,
  nextOrgSlot,
  readAddedOrgs,
  recordAddedOrg,
  type AddedOrg,
} from './added-orgs.js';
export * from './msp/index.js';
export * from './channel/index.js';
