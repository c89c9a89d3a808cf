/**
 * How the gateway reaches every peer of the channel: the local endorser in-process, the others over
 * gRPC `/protos.Endorser/ProcessProposal` with TLS. Stands in for Fabric's discovery service,
 * which the devnet does not implement: the topology comes from the devnet config.
 */
import * as grpc from '@grpc/grpc-js';
import { peer } from '@hyperledger/fabric-protos';
import type { Endorser, ProposalOutcome } from '../endorser/endorser';

export interface RemotePeer {
  readonly mspId: string;
  readonly address: string;
  readonly hostAlias: string;
  readonly tlsCaPem: Buffer;
}

/** A peer the gateway can send a proposal to. */
export interface EndorsingPeer {
  readonly mspId: string;
  readonly address: string;
  /** Resolves with the peer's outcome; `transportError` when the call itself failed. */
  process(
    signedProposal: peer.SignedProposal,
    deadline: Date,
  ): Promise<ProposalOutcome & { transportError?: string }>;
}

export function localPeer(endorser: Endorser, address: string): EndorsingPeer {
  return {
    mspId: endorser.mspId,
    address,
    process: (signedProposal) => endorser.processProposal(signedProposal),
  };
}

export function remotePeer(remote: RemotePeer): EndorsingPeer & { close(): void } {
  const client = new peer.EndorserClient(remote.address, grpc.credentials.createSsl(remote.tlsCaPem), {
    'grpc.ssl_target_name_override': remote.hostAlias,
    'grpc.default_authority': remote.hostAlias,
  });
  return {
    mspId: remote.mspId,
    address: remote.address,
    process: (signedProposal, deadline) =>
      new Promise((resolve) => {
        client.processProposal(signedProposal, { deadline }, (err, response) => {
          if (err !== null) {
            // Across gRPC a pre-processing error arrives without its response, as on Fabric.
            resolve({ response: new peer.ProposalResponse(), transportError: err.details || err.message });
            return;
          }
          resolve({ response: response ?? new peer.ProposalResponse() });
        });
      }),
    close: () => {
      client.close();
    },
  };
}
