/**
 * A channel configuration update through the ordering service's Broadcast, as fabric-samples'
 * addOrg3 performs it: the current configuration read from a peer, an update computed as configtxlator
 * computes it that adds a throwaway institution (its crypto generated as a one-org consortium of its
 * own), signed by org admins, submitted to the orderer the configuration names; then the config
 * block on every peer and a write that still commits. Only the wire protocol is used (fabric-protos
 * over grpc-js, fabric-gateway for the peers), so the same test runs against Fabric's orderer.
 *
 * It runs against the suite's network (it must run unchanged on real Fabric, whose ports are fixed) and
 * leaves it as it found it: the org is removed again by a second update. While it is on the channel its
 * VeriscanEndorsement is unsatisfiable like the regulator's, so it never becomes a needed endorser;
 * Fabric's `MAJORITY VeriscanEndorsement` still grows from three of five to four of six sub-policies
 * (all four endorsing institutions), which is why it does not stay.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { common, msp, orderer } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import {
  CHANNEL_ID,
  EcdsaSigner,
  PEER_ORGS,
  adminMemberId,
  computeConfigUpdate,
  configUpdateEnvelope,
  configUpdateTransaction,
  connectGateway,
  describeApplicationOrg,
  encodeApplicationOrgGroup,
  fileSystemMaterial,
  generateCryptoMaterial,
  institutionSpec,
  orgByMspId,
  serializeIdentity,
  signConfigUpdate,
  type EnvelopeSigner,
  type NetworkProfile,
  type PeerOrgSpec,
} from '@veriscan/fabric-kit';
import { Tx } from '@veriscan/ledger-api';
import { profile } from '../support/network';

/** The throwaway institution: never a needed endorser (`OutOf(2, '<msp>.peer')`), like the regulator. */
const THROWAWAY: PeerOrgSpec = {
  ...institutionSpec('hospital-z', 'hospital', PEER_ORGS.length),
  endorses: false,
};
const APPLICATION = 'Application';
const ORDERER = 'Orderer';
const APPLICATION_KEY = '[Group]  /Channel/Application';
const BLOCK_WAIT_MS = 30_000;

/** A profile identity as the signer of configuration updates. */
function signerOf(p: NetworkProfile, name: string): EnvelopeSigner {
  const identity = p.identities[name];
  if (identity === undefined) throw new Error(`the profile has no identity ${name}`);
  const signer = EcdsaSigner.fromPem(readFileSync(identity.keyFile, 'utf8'));
  return {
    identity: serializeIdentity(identity.mspId, readFileSync(identity.certFile, 'utf8')),
    sign: (message) => signer.sign(message),
  };
}

const adminOf = (p: NetworkProfile, key: string): EnvelopeSigner => signerOf(p, adminMemberId({ key }));

/** The CONFIG transaction of a config block, or undefined for any other block. */
function configOf(block: common.Block): common.Config | undefined {
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

/** The last config block's number as a block's SIGNATURES metadata names it. */
function lastConfigIndex(block: common.Block): number {
  const raw = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES];
  const value = common.Metadata.deserializeBinary(raw ?? new Uint8Array()).getValue_asU8();
  return common.OrdererBlockMetadata.deserializeBinary(value).getLastConfig()?.getIndex() ?? 0;
}

/** The first block from `start` on, as `peerName`'s Deliver service streams them, that `match` accepts. */
async function findBlock<T>(
  p: NetworkProfile,
  peerName: string,
  start: number,
  match: (block: common.Block) => T | undefined,
): Promise<T> {
  const identity = Object.entries(p.identities).find(([, id]) => id.peer === peerName)?.[0];
  if (identity === undefined) throw new Error(`no identity connects to ${peerName}`);
  const connection = connectGateway(p, identity);
  const events = await connection.gateway.getNetwork(p.channel).getBlockEvents({ startBlock: BigInt(start) });
  const timer = setTimeout(() => {
    events.close();
  }, BLOCK_WAIT_MS);
  try {
    for await (const block of events) {
      const found = match(block);
      if (found !== undefined) return found;
    }
    throw new Error(`${peerName} delivered no matching block from ${start} within ${BLOCK_WAIT_MS} ms`);
  } finally {
    clearTimeout(timer);
    events.close();
    connection.close();
  }
}

/** Submits a write as hospital-a and returns the number of the block it committed in. */
async function write(p: NetworkProfile): Promise<number> {
  const connection = connectGateway(p, 'hospital-a');
  try {
    const submitted = await connection.gateway
      .getNetwork(p.channel)
      .getContract('veriscan')
      .submitAsync(Tx.PutProbe, { arguments: [`config-update-${randomUUID()}`, 'x'] });
    const status = await submitted.getStatus();
    expect(status.successful, `write ${submitted.getTransactionId()} code ${status.code}`).to.equal(true);
    return Number(status.blockNumber);
  } finally {
    connection.close();
  }
}

/** The configuration in force, read from hospital-a's peer, and the number of the newest block. */
async function currentConfig(p: NetworkProfile): Promise<{ config: common.Config; height: number }> {
  const newest = await write(p);
  const peerName = p.identities['hospital-a']?.peer ?? '';
  const index = await findBlock(p, peerName, newest, lastConfigIndex);
  const config = await findBlock(p, peerName, index, configOf);
  return { config, height: newest + 1 };
}

function group(config: common.Config, ...path: string[]): common.ConfigGroup | undefined {
  let node = config.getChannelGroup();
  for (const key of path) node = node?.getGroupsMap().get(key);
  return node;
}

/** The orderer the configuration names, reached over TLS with the orderer org's TLS root from the configuration. */
function ordererClient(config: common.Config): orderer.AtomicBroadcastClient {
  const orgs = group(config, ORDERER);
  let endpoint: string | undefined;
  let tlsRoot: Uint8Array | undefined;
  orgs?.getGroupsMap().forEach((org: common.ConfigGroup) => {
    const addresses = org.getValuesMap().get('Endpoints');
    const mspValue = org.getValuesMap().get('MSP');
    if (endpoint !== undefined || addresses === undefined || mspValue === undefined) return;
    endpoint = common.OrdererAddresses.deserializeBinary(addresses.getValue_asU8()).getAddressesList()[0];
    const mspConfig = msp.MSPConfig.deserializeBinary(mspValue.getValue_asU8());
    tlsRoot = msp.FabricMSPConfig.deserializeBinary(mspConfig.getConfig_asU8()).getTlsRootCertsList_asU8()[0];
  });
  if (endpoint === undefined || tlsRoot === undefined)
    throw new Error('the configuration names no orderer endpoint');
  const [host = '', port = ''] = endpoint.split(':');
  // The test dials the port on this machine. The node's TLS certificate names its host, localhost and
  // 127.0.0.1; TLS may not name a server by IP address (RFC 6066), so an IP endpoint is named localhost.
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

/** Broadcasts one envelope and returns the orderer's answer. */
function broadcast(
  client: orderer.AtomicBroadcastClient,
  envelope: common.Envelope,
): Promise<{ status: number; info: string }> {
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

function withOrg(config: common.Config, name: string, org: common.ConfigGroup | undefined): common.Config {
  const updated = common.Config.deserializeBinary(config.serializeBinary());
  const orgs = group(updated, APPLICATION)?.getGroupsMap();
  if (org === undefined) orgs?.del(name);
  else orgs?.set(name, org);
  return updated;
}

function update(
  p: NetworkProfile,
  from: common.Config,
  to: common.Config,
  signers: readonly string[],
): common.Envelope {
  const envelope = configUpdateEnvelope(computeConfigUpdate(CHANNEL_ID, from, to));
  for (const key of signers) signConfigUpdate(envelope, adminOf(p, key));
  return configUpdateTransaction(CHANNEL_ID, envelope, adminOf(p, 'hospital-a'));
}

describe('a channel configuration update broadcast to the orderer', function () {
  this.timeout(120_000);
  const threeAdmins = ['hospital-a', 'hospital-b', 'lab-1'];
  let p: NetworkProfile;
  let materialDir: string;
  let orgGroup: common.ConfigGroup;
  let before0: { config: common.Config; height: number };
  let client: orderer.AtomicBroadcastClient;

  /**
   * Applies an update signed by a majority of the application orgs' admins (three of five, four of six:
   * `MAJORITY Admins` counts the orgs on the channel, the throwaway one included) and waits until
   * every peer has committed its config block.
   */
  async function apply(
    from: { config: common.Config; height: number },
    to: common.Config,
  ): Promise<common.Config> {
    const orgs = group(from.config, APPLICATION)?.getGroupsMap().getLength() ?? 0;
    const signers = PEER_ORGS.slice(0, Math.floor(orgs / 2) + 1).map((org) => org.key);
    const answer = await broadcast(client, update(p, from.config, to, signers));
    expect(answer).to.deep.equal({ status: common.Status.SUCCESS, info: '' });
    const sequence = from.config.getSequence() + 1;
    const configs = await Promise.all(
      Object.keys(p.peers).map((peerName) =>
        findBlock(p, peerName, from.height, (block) => {
          const config = configOf(block);
          return config?.getSequence() === sequence ? config : undefined;
        }),
      ),
    );
    return configs[0] ?? to;
  }

  before(async () => {
    p = profile();
    materialDir = mkdtempSync(join(tmpdir(), 'veriscan-hospital-z-'));
    const { layout } = await generateCryptoMaterial({ outDir: materialDir, consortium: [THROWAWAY] });
    orgGroup = encodeApplicationOrgGroup(
      describeApplicationOrg(THROWAWAY, {
        mspDir: orgByMspId(layout, THROWAWAY.mspId).mspDir,
        anchorPeers: [],
      }),
      fileSystemMaterial(),
    );
    before0 = await currentConfig(p);
    client = ordererClient(before0.config);
    // A run that stopped half-way left the throwaway org on the channel: take it off first.
    if (group(before0.config, APPLICATION, THROWAWAY.orgName) !== undefined) {
      await apply(before0, withOrg(before0.config, THROWAWAY.orgName, undefined));
      before0 = await currentConfig(p);
    }
  });

  after(async () => {
    try {
      const now = await currentConfig(p);
      if (group(now.config, APPLICATION, THROWAWAY.orgName) !== undefined)
        await apply(now, withOrg(now.config, THROWAWAY.orgName, undefined));
    } finally {
      client.close();
      rmSync(materialDir, { recursive: true, force: true });
    }
  });

  it('refuses an update that only two org admins signed, with BAD_REQUEST and the unmet Admins policy', async () => {
    const answer = await broadcast(
      client,
      update(p, before0.config, withOrg(before0.config, THROWAWAY.orgName, orgGroup), [
        'hospital-a',
        'lab-2',
      ]),
    );
    expect(answer).to.deep.equal({
      status: common.Status.BAD_REQUEST,
      info:
        `error applying config update to existing channel '${CHANNEL_ID}': error authorizing update: ` +
        `error validating DeltaSet: policy for ${APPLICATION_KEY} not satisfied: implicit policy evaluation ` +
        "failed - 2 sub-policies were satisfied, but this policy requires 3 of the 'Admins' sub-policies to be satisfied",
    });
  });

  it('adds an org signed by three of five org admins: every peer commits the config block, and writes still commit', async () => {
    expect(group(before0.config, APPLICATION)?.getGroupsMap().getLength()).to.equal(PEER_ORGS.length);
    const added = await apply(before0, withOrg(before0.config, THROWAWAY.orgName, orgGroup));
    expect(added.getSequence()).to.equal(before0.config.getSequence() + 1);
    const application = group(added, APPLICATION);
    expect(application?.getVersion()).to.equal((group(before0.config, APPLICATION)?.getVersion() ?? 0) + 1);
    expect(group(added, APPLICATION, THROWAWAY.orgName)?.getVersion()).to.equal(0);
    await write(p);
  });

  it('refuses an update computed from the configuration before, naming the stale version', async () => {
    const version = group(before0.config, APPLICATION)?.getVersion() ?? 0;
    const stale = update(p, before0.config, withOrg(before0.config, 'HospitalY', orgGroup), threeAdmins);
    expect(await broadcast(client, stale)).to.deep.equal({
      status: common.Status.BAD_REQUEST,
      info:
        `error applying config update to existing channel '${CHANNEL_ID}': error authorizing update: ` +
        `error validating ReadSet: proposed update requires that key ${APPLICATION_KEY} be at version ${version}, ` +
        `but it is currently at version ${version + 1}`,
    });
  });

  it('removes the org again, now with four of six org admins, and writes still commit', async () => {
    const now = await currentConfig(p);
    const removed = await apply(now, withOrg(now.config, THROWAWAY.orgName, undefined));
    expect(group(removed, APPLICATION, THROWAWAY.orgName)).to.equal(undefined);
    await write(p);
  });
});
