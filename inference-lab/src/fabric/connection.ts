/**
 * The lab's one Gateway connection, from the connection profile identity (the devnet's
 * `connectGateway`, which sets explicit deadlines per call type). Closing ends the gateway, then
 * the gRPC client.
 */
import type { Contract, Network } from '@hyperledger/fabric-gateway';
import { connectGateway, type NetworkProfile } from '@veriscan/fabric-kit';

/** An open connection and the handles the lab uses. */
export interface LedgerConnection {
  readonly network: Network;
  readonly contract: Contract;
  close(): void;
}

/** Connects `identity` to `peer` and returns the channel and the Veriscan contract. @throws Error for unknown names. */
export function openLedgerConnection(
  options: Readonly<{
    profile: NetworkProfile;
    identity: string;
    peer: string;
    channel: string;
    chaincode: string;
  }>,
): LedgerConnection {
  const connection = connectGateway(options.profile, options.identity, options.peer);
  const network = connection.gateway.getNetwork(options.channel);
  return {
    network,
    contract: network.getContract(options.chaincode),
    close: () => {
      connection.close();
    },
  };
}
