/**
 * A client's side of a channel configuration update over the wire, what fabric-samples' addOrg3 does
 * with `peer channel fetch config`, configtxlator and `peer channel update`: read the configuration in
 * force from a peer's Deliver service, change it, compute and sign the update, and broadcast it to the
 * orderer the configuration names. Only Fabric's protocols are used, so it works against the devnet
 * and against Fabric's own orderer alike.
 */
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { common, msp, orderer } from '@hyperledger/fabric-protos';
import { FabricKitError } from '../errors';
import { connectGateway } from '../gateway.js';
import { EcdsaSigner } from '../msp/signer.js';
import { serializeIdentity } from '../msp/msp.js';
import type { NetworkProfile } from '../profile.js';
import { computeConfigUpdate } from './compute-update.js';
import { configUpdateEnvelope, configUpdateTransaction, signConfigUpdate } from './config-update.js';
import type { EnvelopeSigner } from './genesis.js';

const APPLICATION = 'Application';
const ORDERER = 'Orderer';

/** A connection-profile identity as the signer of configuration updates. */
export function profileSigner(profile: NetworkProfile, name: string): EnvelopeSigner {
  const identity = profile.identities[name];
  if (identity === undefined) throw new FabricKitError('UNKNOWN_NAME', `the profile has no identity ${name}`);
  const signer = EcdsaSigner.fromPem(readFileSync(identity.keyFile, 'utf8'));
  return {
    identity: serializeIdentity(identity.mspId, readFileSync(identity.certFile, 'utf8')),
    sign: (message) => signer.sign(message),
  };
}

/** The configuration a CONFIG block carries, or undefined for any other block. */
export function configOfBlock(block: common.Block): common.Config | undefined {
  const data = block.getData()?.getDataList_asU8() ?? [];
  const [bytes] = data;
  if (data.length !== 1 || bytes === undefined) return undefined;
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(bytes).getPayload_asU8(),
  );
  const header = common.ChannelHeader.deserializeBinary(
    payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
  );
  if (header.getType() !== common.HeaderType.CONFIG) return undefined;
  return common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig();
}

/** The number of the last config block, as a block's SIGNATURES metadata names it. */
export function lastConfigIndexOf(block: common.Block): bigint {
  const raw = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES];
  const value = common.Metadata.deserializeBinary(raw ?? new Uint8Array()).getValue_asU8();
  return BigInt(common.OrdererBlockMetadata.deserializeBinary(value).getLastConfig()?.getIndex() ?? 0);
}

/** The first block from `start` on that `identity`'s peer delivers and `match` accepts. */
export async function findBlock<T>(
  profile: NetworkProfile,
  identity: string,
  start: bigint,
  match: (block: common.Block) => T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const connection = connectGateway(profile, identity);
  const events = await connection.gateway.getNetwork(profile.channel).getBlockEvents({ startBlock: start });
  const timer = setTimeout(() => {
    events.close();
  }, timeoutMs);
  try {
    for await (const block of events) {
      const found = match(block);
      if (found !== undefined) return found;
    }
    throw new FabricKitError('NOT_LISTENING', `no matching block from ${start} within ${timeoutMs} ms`);
  } finally {
    clearTimeout(timer);
    events.close();
    connection.close();
  }
}

/**
 * The configuration in force as `identity`'s peer has committed it: the block at the channel's
 * height minus one names the last config block, which is then read.
 */
export async function readChannelConfig(profile: NetworkProfile, identity: string): Promise<common.Config> {
  const connection = connectGateway(profile, identity);
  let height: bigint;
  try {
    const info = await connection.gateway
      .getNetwork(profile.channel)
      .getContract('qscc')
      .evaluateTransaction('GetChainInfo', profile.channel);
    height = BigInt(common.BlockchainInfo.deserializeBinary(info).getHeight());
  } finally {
    connection.close();
  }
  const index = await findBlock(profile, identity, height - 1n, lastConfigIndexOf);
  return findBlock(profile, identity, index, configOfBlock);
}

function group(config: common.Config, ...path: readonly string[]): common.ConfigGroup | undefined {
  let node = config.getChannelGroup();
  for (const key of path) node = node?.getGroupsMap().get(key);
  return node;
}

/** The names of the application orgs in `config`. */
export function applicationOrgNames(config: common.Config): string[] {
  return [...(group(config, APPLICATION)?.getGroupsMap().keys() ?? [])].sort();
}

/** A copy of `config` with application org `name` set to `org` (or removed when undefined). */
export function withApplicationOrg(
  config: common.Config,
  name: string,
  org: common.ConfigGroup | undefined,
): common.Config {
  const updated = common.Config.deserializeBinary(config.serializeBinary());
  const orgs = group(updated, APPLICATION)?.getGroupsMap();
  if (orgs === undefined)
    throw new FabricKitError('MALFORMED_CONFIG', 'the configuration has no Application group');
  if (org === undefined) orgs.del(name);
  else orgs.set(name, org);
  return updated;
}

/** The orderer the configuration names, over TLS with the orderer org's TLS root from the configuration. */
function ordererClient(config: common.Config): orderer.AtomicBroadcastClient {
  let endpoint: string | undefined;
  let tlsRoot: Uint8Array | undefined;
  group(config, ORDERER)
    ?.getGroupsMap()
    .forEach((org: common.ConfigGroup) => {
      const addresses = org.getValuesMap().get('Endpoints');
      const mspValue = org.getValuesMap().get('MSP');
      if (endpoint !== undefined || addresses === undefined || mspValue === undefined) return;
      endpoint = common.OrdererAddresses.deserializeBinary(addresses.getValue_asU8()).getAddressesList()[0];
      const mspConfig = msp.MSPConfig.deserializeBinary(mspValue.getValue_asU8());
      tlsRoot = msp.FabricMSPConfig.deserializeBinary(
        mspConfig.getConfig_asU8(),
      ).getTlsRootCertsList_asU8()[0];
    });
  if (endpoint === undefined || tlsRoot === undefined)
    throw new FabricKitError('MALFORMED_CONFIG', 'the configuration names no orderer endpoint');
  const [host = '', port = ''] = endpoint.split(':');
  // The node's TLS certificate names its host, localhost and 127.0.0.1; TLS may not name a server by
  // IP address (RFC 6066), so an IP endpoint is named localhost.
  const serverName = /^[0-9.]+$/.test(host) ? 'localhost' : host;
  return new orderer.AtomicBroadcastClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createSsl(Buffer.from(tlsRoot)),
    {
      'grpc.ssl_target_name_override': serverName,
      'grpc.default_authority': serverName,
    },
  );
}

/** Broadcasts one envelope and returns the orderer's answer `{status, info}` (200 when accepted). */
function broadcast(
  client: orderer.AtomicBroadcastClient,
  envelope: common.Envelope,
): Promise<{ readonly status: number; readonly info: string }> {
  return new Promise((resolve, reject) => {
    const stream = client.broadcast();
    stream.on('data', (response: orderer.BroadcastResponse) => {
      resolve({ status: response.getStatus(), info: response.getInfo() });
      stream.end();
    });
    stream.on('error', reject);
    stream.write(envelope);
  });
}

/**
 * Computes the update from `from` to `to`, has every identity of `signers` sign it, and broadcasts it
 * as `submitter` to the orderer `from` names.
 * @returns the orderer's answer; status 200 means accepted (the config block follows).
 */
export async function submitConfigUpdate(
  profile: NetworkProfile,
  from: common.Config,
  to: common.Config,
  signers: readonly string[],
  submitter: string,
): Promise<{ readonly status: number; readonly info: string }> {
  const envelope = configUpdateEnvelope(computeConfigUpdate(profile.channel, from, to));
  for (const name of signers) signConfigUpdate(envelope, profileSigner(profile, name));
  const client = ordererClient(from);
  try {
    return await broadcast(
      client,
      configUpdateTransaction(profile.channel, envelope, profileSigner(profile, submitter)),
    );
  } finally {
    client.close();
  }
}
