/**
 * The devnet orderer process (orderer/common/server/main.go): Broadcast and Deliver over gRPC with TLS.
 * Usage: node orderer-main.js
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { orderer } from '@hyperledger/fabric-protos';
import { loadConfig } from '../config';
import { cryptoLayout } from '@veriscan/fabric-kit';
import { OrdererService } from '../orderer/orderer-service';
import { nodeSigner } from './trust';
import { logger } from './log';
import { DevnetError } from '../errors';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = logger(config.orderer.name);
  const layout = cryptoLayout(config.cryptoDir);
  const org = layout.orgs.find((o) => o.mspId === config.orderer.mspId);
  const node = org?.orderers[0];
  if (node === undefined) throw new DevnetError('FAILED_PRECONDITION', 'no orderer crypto material');
  const service = new OrdererService({
    dir: join(config.devnetDir, 'orderer'),
    channelId: config.channelId,
    signer: nodeSigner(config.orderer.mspId, node),
    log,
  });
  log(
    `block store opened at height ${service.height}, configuration sequence ${service.channel.current.sequence}`,
  );
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 100 * 1024 * 1024 });
  server.addService(orderer.AtomicBroadcastService, service.handlers());
  const credentials = grpc.ServerCredentials.createSsl(null, [
    { cert_chain: readFileSync(node.tlsCertFile), private_key: readFileSync(node.tlsKeyFile) },
  ]);
  await new Promise<void>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${config.orderer.port}`, credentials, (err) => {
      if (err !== null) reject(err);
      else resolve();
    });
  });
  log(`listening on 127.0.0.1:${config.orderer.port}`);
  const shutdown = (): void => {
    log('stopping');
    server.forceShutdown();
    service.close();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `orderer failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
