/**
 * @veriscan/fabric-network: the real-Fabric launcher as a library (the CLI is `dist/cli.js`): the
 * commands, the topology and its paths, and the launcher's error.
 */
export {
  clean,
  chooseTopology,
  down,
  status,
  stopNode,
  up,
  type StatusOptions,
  type UpOptions,
} from './network';
export { composeGenesis } from './compose';
export { fabricBinaries, HOW_TO_GET_FABRIC, REQUIRED_BINARIES, type FabricBinaries } from './binaries';
export { ccaasPackage, tarGz, type CcaasPackage, type CcaasPackageRequest } from './ccaas-package';
export { fabricProfile } from './profile';
export {
  CHAINCODE,
  CHANNEL,
  launcherPaths,
  ordererNodes,
  PEER_ORGS,
  TOPOLOGIES,
  type ChosenTopology,
  type FabricPeerOrg,
  type LauncherPaths,
  type OrdererNode,
  type Topology,
  type TopologyKey,
} from './topology';
export { FabricNetworkError, FabricNetworkErrorCode } from './errors';
