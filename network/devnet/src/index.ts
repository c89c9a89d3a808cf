/**
 * @veriscan/devnet's public surface for tools and tests beside the network: its configuration,
 * the audit checks over blocks, the trust it builds from the crypto material, and the Fabric
 * protobuf messages it is built on. Everything else is reached through the `veriscan-devnet` CLI.
 */
export { loadConfig, type DevnetConfig, type PeerConfig, type PeerOrgConfig } from './config.js';
export { DevnetError, DevnetErrorCode } from './errors.js';
export { checkBlocks, type BlockCheck, type BlockCheckOptions } from './audit/block-checks.js';
export { loadTrust, type Trust } from './node/trust.js';
export { common, gateway, ledger, msp, orderer, peer } from './protos.js';
