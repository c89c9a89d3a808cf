/**
 * The devnet channel over the consortium's shared test material, an institution to add to it
 * (generated as a one-org consortium of its own, as a joining institution would), and the signers a
 * configuration update needs.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import {
  CHANNEL_ID,
  ORDERER_ORG,
  computeConfigUpdate,
  configUpdateEnvelope,
  configUpdateTransaction,
  describeApplicationOrg,
  encodeApplicationOrgGroup,
  fileSystemMaterial,
  generateCryptoMaterial,
  genesisConfigEnvelope,
  institutionSpec,
  orgByMspId,
  peerOrgByKey,
  signConfigUpdate,
  type CryptoLayout,
  type PeerOrgSpec,
} from '@veriscan/fabric-kit';
import type { Signer } from '../../../../../network/devnet/src/common/trust';
import { loadConfig, type DevnetConfig } from '../../../../../network/devnet/src/config';
import { loadSigner, nodeSigner } from '../../../../../network/devnet/src/node/trust';
import { devnetChannelDescription } from '../../../../../network/devnet/src/orderer/block-writer';
import type { OrdererOptions } from '../../../../../network/devnet/src/orderer/orderer-service';
import { sharedMaterial, tempDir } from '../../../fabric-kit/msp/support/material';

/** The institution the tests add: no peer of its own counts for endorsement, like the regulator's. */
export const NEW_ORG: PeerOrgSpec = { ...institutionSpec('hospital-z', 'hospital', 9), endorses: false };

export interface ChannelFixture {
  readonly config: DevnetConfig;
  readonly layout: CryptoLayout;
  /** Block 0's configuration. */
  readonly genesis: common.Config;
  /** The new institution's material and its `Application` group. */
  readonly newOrg: { readonly layout: CryptoLayout; readonly group: common.ConfigGroup };
  /** What an orderer over this channel needs, in a fresh folder each call. */
  ordererOptions(): OrdererOptions;
  /** A fresh folder for a node's state. */
  freshDir(): string;
  ordererSigner(): Signer;
  /** The orderer org's admin, whom the Orderer group's Admins policy names. */
  ordererAdmin(): Signer;
  /** The admin (`admin: true`) or application user of a peer org of the table or of the new org. */
  signer(orgKey: string, admin?: boolean): Signer;
}

let shared: Promise<ChannelFixture> | undefined;

async function build(): Promise<ChannelFixture> {
  const { layout } = await sharedMaterial();
  const config: DevnetConfig = {
    ...loadConfig({ VERISCAN_HOME: tempDir('veriscan-home-'), VERISCAN_DEVNET_PORT_BASE: '21050' }),
    cryptoDir: layout.rootDir,
  };
  const description = devnetChannelDescription(config);
  const genesis = genesisConfigEnvelope(description, fileSystemMaterial()).getConfig();
  if (genesis === undefined) throw new TypeError('no genesis config');
  const added = await generateCryptoMaterial({ outDir: tempDir('veriscan-new-org-'), consortium: [NEW_ORG] });
  const org = orgByMspId(added.layout, NEW_ORG.mspId);
  const group = encodeApplicationOrgGroup(
    describeApplicationOrg(NEW_ORG, { mspDir: org.mspDir, anchorPeers: [] }),
    fileSystemMaterial(),
  );
  const orderer0 = orgByMspId(layout, ORDERER_ORG.mspId).orderers[0];
  if (orderer0 === undefined) throw new TypeError('no orderer0 material');
  const ordererSigner = (): Signer => nodeSigner(ORDERER_ORG.mspId, orderer0);
  const root = tempDir('veriscan-nodes-');
  let dirs = 0;
  const freshDir = (): string => {
    const dir = join(root, String(++dirs));
    mkdirSync(dir);
    return dir;
  };
  return {
    config,
    layout,
    genesis,
    newOrg: { layout: added.layout, group },
    freshDir,
    ordererOptions: () => ({
      dir: freshDir(),
      channelId: config.channelId,
      signer: ordererSigner(),
      log: () => undefined,
      channel: { description, material: fileSystemMaterial() },
    }),
    ordererSigner,
    ordererAdmin: () => {
      const admin = orgByMspId(layout, ORDERER_ORG.mspId).users.find((u) => u.nodeOu === 'admin');
      if (admin === undefined) throw new TypeError('no orderer admin');
      return loadSigner(ORDERER_ORG.mspId, admin.signCertFile, admin.keyFile);
    },
    signer: (orgKey, admin = true) => {
      const source = orgKey === NEW_ORG.key ? added.layout : layout;
      const mspId = orgKey === NEW_ORG.key ? NEW_ORG.mspId : peerOrgByKey(orgKey).mspId;
      const material = orgByMspId(source, mspId);
      const user = material.users.find((u) => (admin ? u.nodeOu === 'admin' : u.nodeOu === 'client'));
      if (user === undefined) throw new TypeError(`no ${admin ? 'admin' : 'user'} in ${orgKey}`);
      return loadSigner(mspId, user.signCertFile, user.keyFile);
    },
  };
}

/** The fixture, built once per test run. */
export function channelFixture(): Promise<ChannelFixture> {
  shared ??= build();
  return shared;
}

const clone = (config: common.Config): common.Config =>
  common.Config.deserializeBinary(config.serializeBinary());

function applicationOf(config: common.Config): common.ConfigGroup {
  const application = config.getChannelGroup()?.getGroupsMap().get('Application');
  if (application === undefined) throw new TypeError('no Application group');
  return application;
}

/** `config` with `group` added under `Application` as org `name`. */
export function withOrg(config: common.Config, name: string, group: common.ConfigGroup): common.Config {
  const updated = clone(config);
  applicationOf(updated).getGroupsMap().set(name, group);
  return updated;
}

/** `config` without the application org `name`. */
export function withoutOrg(config: common.Config, name: string): common.Config {
  const updated = clone(config);
  applicationOf(updated).getGroupsMap().del(name);
  return updated;
}

/**
 * The CONFIG_UPDATE envelope from `from` to `to`, signed by `signers` (each over signature header ‖
 * update) and submitted by `submitter`.
 */
export function signedUpdate(
  from: common.Config,
  to: common.Config,
  signers: readonly Signer[],
  submitter: Signer,
): common.Envelope {
  const envelope = configUpdateEnvelope(computeConfigUpdate(CHANNEL_ID, from, to));
  for (const signer of signers) signConfigUpdate(envelope, signer);
  return configUpdateTransaction(CHANNEL_ID, envelope, submitter);
}
