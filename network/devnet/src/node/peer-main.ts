/**
 * One devnet peer process (internal/peer/node/start.go): ledger, chaincode support, endorser,
 * gateway and the deliver client, served over gRPC with TLS.
 * Usage: node peer-main.js <peer name>   (e.g. peer0.hospital-a)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { gateway, peer } from '@hyperledger/fabric-protos';
import { devnetCryptoLayout, loadConfig } from '../config';
import { checkProposeAcl } from '../channelconfig/acl';
import { ChannelConfig } from '../channelconfig/channel-config';
import { Ledger } from '../ledger/ledger';
import { ChaincodeRegistry } from '../chaincode/registry';
import { Endorser } from '../endorser/endorser';
import { GatewayService } from '../gateway/gateway-service';
import { localPeer, remotePeer } from '../gateway/peer-directory';
import { BroadcastClient } from '../orderer/broadcast-client';
import { DeliverClient } from '../peer/deliver-client';
import { DeliverService } from '../peer/deliver-service';
import { channelTrust, nodeSigner } from './trust';
import { logger } from './log';
import { DevnetError } from '../errors';

async function main(): Promise<void> {
  const name = process.argv[2];
  const config = loadConfig();
  const me = config.peers.find((p) => p.name === name);
  if (me === undefined)
    throw new DevnetError(
      'INVALID_CONFIG',
      `usage: peer-main <${config.peers.map((p) => p.name).join('|')}>`,
    );
  const log = logger(me.name);
  const layout = devnetCryptoLayout(config);
  const orgOf = (key: string) => {
    const org = layout.orgs.find((o) => o.key === key);
    if (org === undefined) throw new DevnetError('FAILED_PRECONDITION', `no crypto material for org ${key}`);
    return org;
  };
  const org = orgOf(me.orgKey);
  const node = org.peers[0];
  if (node === undefined) throw new DevnetError('FAILED_PRECONDITION', `no peer material for ${me.name}`);
  // The channel's configuration says whom to trust: set from the stored chain, or from block 0 once
  // the orderer delivers it; each config block then replaces it.
  const channel = new ChannelConfig(config.channelId);
  const { identities, policies } = channelTrust(channel);
  const signer = nodeSigner(me.mspId, node);
  const ledger = new Ledger({
    dir: join(config.devnetDir, 'peers', me.name, 'ledger'),
    channelId: config.channelId,
    identities,
    policies,
    channel,
  });
  log(
    `ledger opened at height ${ledger.height}${channel.isSet ? `, configuration sequence ${channel.current.sequence}` : ', no channel configuration yet'}`,
  );
  // Each peer dials its own org's chaincode servers, as a Fabric peer dials its org's CaaS endpoint.
  const chaincodes = new ChaincodeRegistry(config.installDir, me.orgKey);
  const endorser = new Endorser({
    channelId: config.channelId,
    ledger,
    identities,
    signer,
    chaincodes,
    proposeAcl: (signed) => checkProposeAcl(channel, signed),
  });
  const remotes = config.peers
    .filter((p) => p.name !== me.name)
    .map((p) =>
      remotePeer({
        mspId: p.mspId,
        address: `127.0.0.1:${p.port}`,
        hostAlias: p.host,
        tlsCaPem: readFileSync(orgOf(p.orgKey).tlsCaCertFile),
      }),
    );
  const ordererOrg = orgOf('orderer');
  const ordererTarget = {
    address: `127.0.0.1:${config.orderer.port}`,
    hostAlias: config.orderer.host,
    tlsCaPem: readFileSync(ordererOrg.tlsCaCertFile),
  };
  const broadcast = new BroadcastClient(ordererTarget);
  const gatewayService = new GatewayService({
    channelId: config.channelId,
    mspId: me.mspId,
    ledger,
    identities,
    policies,
    peers: [localPeer(endorser, `127.0.0.1:${me.port}`), ...remotes],
    orderer: broadcast,
  });
  const deliver = new DeliverClient({ ...ordererTarget, channelId: config.channelId, signer, ledger, log });
  ledger.onBlock((block) => {
    log(
      block.configSequence === undefined
        ? `committed block ${block.number}: ${block.txCount} transactions, ${block.validCount} valid, ${block.events.length} events, ${block.commitMs.toFixed(1)} ms`
        : `committed config block ${block.number}: configuration sequence ${block.configSequence}, MSPs ${channel.current.msps.mspIds.join(', ')}`,
    );
  });

  const server = new grpc.Server({ 'grpc.max_receive_message_length': 100 * 1024 * 1024 });
  server.addService(gateway.GatewayService, gatewayService.handlers());
  server.addService(
    peer.DeliverService,
    new DeliverService({ channelId: config.channelId, ledger, identities }).handlers(),
  );
  server.addService(peer.EndorserService, {
    processProposal: (
      call: grpc.ServerUnaryCall<peer.SignedProposal, peer.ProposalResponse>,
      callback: grpc.sendUnaryData<peer.ProposalResponse>,
    ) => {
      endorser.processProposal(call.request).then(
        (outcome) => {
          if (outcome.error !== undefined) callback({ code: grpc.status.UNKNOWN, details: outcome.error });
          else callback(null, outcome.response);
        },
        (err: unknown) => {
          callback({ code: grpc.status.UNKNOWN, details: err instanceof Error ? err.message : String(err) });
        },
      );
    },
  });
  const credentials = grpc.ServerCredentials.createSsl(null, [
    { cert_chain: readFileSync(node.tlsCertFile), private_key: readFileSync(node.tlsKeyFile) },
  ]);
  await new Promise<void>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${me.port}`, credentials, (err) => {
      if (err !== null) reject(err);
      else resolve();
    });
  });
  deliver.start();
  log(`listening on 127.0.0.1:${me.port} (${me.mspId})`);

  const shutdown = (): void => {
    log('stopping');
    deliver.stop();
    broadcast.close();
    chaincodes.close();
    for (const r of remotes) r.close();
    server.forceShutdown();
    ledger.close();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `peer failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
