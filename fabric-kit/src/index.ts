/**
 * @veriscan/fabric-kit: what every Veriscan process needs to reach a Fabric network (the devnet or
 * real Fabric alike): the consortium table, the connection profile, a fabric-gateway connection,
 * identities, the X.509/MSP code and the crypto-material generator.
 */
export * from './consortium.js';
export { FabricKitError, FabricKitErrorCode } from './errors.js';
export {
  parseNetworkProfile,
  readNetworkProfile,
  type IdentityProfile,
  type NetworkProfile,
  type PeerProfile,
} from './profile.js';
export { connectGateway, type GatewayConnection } from './gateway.js';
export { veriscanPaths, type VeriscanPaths } from './paths.js';
export * from './msp/index.js';
