/**
 * A fabric-gateway connection from a connection-profile identity: what the devnet CLI, tests and
 * apps use to talk to a peer, with explicit per-call deadlines.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { connect, signers, type Gateway } from '@hyperledger/fabric-gateway';
import type { NetworkProfile } from './profile';
import { FabricKitError } from './errors';

/** Per-call deadlines in milliseconds; each defaults to the value noted. */
export type GatewayDeadlines = Readonly<{
  /** Default 15 s. */
  evaluateMs?: number;
  /** Default 30 s. */
  endorseMs?: number;
  /** Default 15 s. */
  submitMs?: number;
  /** Default 60 s. */
  commitStatusMs?: number;
}>;

export interface GatewayConnection {
  readonly gateway: Gateway;
  readonly client: grpc.Client;
  close(): void;
}

/**
 * Connects `identityName` to `peerName` (default: the identity's own peer).
 * @param deadlines shorter or longer per-call deadlines, e.g. for a readiness probe.
 * @throws FabricKitError `UNKNOWN_NAME` for unknown names.
 */
export function connectGateway(
  profile: NetworkProfile,
  identityName: string,
  peerName?: string,
  deadlines: GatewayDeadlines = {},
): GatewayConnection {
  const identity = profile.identities[identityName];
  if (identity === undefined)
    throw new FabricKitError(
      'UNKNOWN_NAME',
      `unknown identity ${identityName}; known: ${Object.keys(profile.identities).join(', ')}`,
    );
  const target = profile.peers[peerName ?? identity.peer];
  if (target === undefined)
    throw new FabricKitError('UNKNOWN_NAME', `unknown peer ${peerName ?? identity.peer}`);
  const client = new grpc.Client(
    target.endpoint,
    grpc.credentials.createSsl(readFileSync(target.tlsCaFile)),
    {
      'grpc.ssl_target_name_override': target.hostAlias,
      'grpc.default_authority': target.hostAlias,
    },
  );
  const gateway = connect({
    client,
    identity: { mspId: identity.mspId, credentials: readFileSync(identity.certFile) },
    signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(identity.keyFile))),
    evaluateOptions: () => ({ deadline: Date.now() + (deadlines.evaluateMs ?? 15000) }),
    endorseOptions: () => ({ deadline: Date.now() + (deadlines.endorseMs ?? 30000) }),
    submitOptions: () => ({ deadline: Date.now() + (deadlines.submitMs ?? 15000) }),
    commitStatusOptions: () => ({ deadline: Date.now() + (deadlines.commitStatusMs ?? 60000) }),
  });
  return {
    gateway,
    client,
    close: () => {
      gateway.close();
      client.close();
    },
  };
}
