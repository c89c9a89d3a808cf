/**
 * Crypto material: the project's one generator (fabric-kit) writes it once to .veriscan/crypto and both
 * networks use the same files, so the attribute-bearing user certificates behave the same on the devnet
 * and on real Fabric. Every path comes from fabric-kit's `cryptoLayout` (cryptogen's layout).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  adminMemberId,
  cryptoLayout,
  generateCryptoMaterial,
  orgByMspId,
  userByMember,
  type CryptoLayout,
  type NodeMaterial,
  type OrgMaterial,
  type UserMaterial,
} from '@veriscan/fabric-kit';
import { FabricNetworkError } from './errors';
import { ORDERER_MSP_ID, ordererNodes, PEER_ORGS, type FabricPeerOrg, type OrdererNode } from './topology';
import type { LauncherPaths } from './topology';

/** The orderer org's material. */
export function ordererOrgMaterial(layout: CryptoLayout): OrgMaterial {
  return orgByMspId(layout, ORDERER_MSP_ID);
}

/** The orderer org's admin (osnadmin's mutual TLS client). */
export function ordererAdminMaterial(layout: CryptoLayout): UserMaterial {
  const org = ordererOrgMaterial(layout);
  return userByMember(layout, adminMemberId(org)).user;
}

/** Orderer `node`'s MSP and TLS files. */
export function ordererMaterial(layout: CryptoLayout, node: OrdererNode): NodeMaterial {
  const material = ordererOrgMaterial(layout).orderers.find((o) => o.host === node.host);
  if (material === undefined)
    throw new FabricNetworkError('INCOMPLETE_CRYPTO', `the crypto layout has no orderer ${node.host}`);
  return material;
}

/** `org`'s own material (TLS CA, verifying MSP). */
export function peerOrgMaterial(layout: CryptoLayout, org: FabricPeerOrg): OrgMaterial {
  return orgByMspId(layout, org.mspId);
}

/** `org`'s one peer's MSP and TLS files. */
export function peerMaterial(layout: CryptoLayout, org: FabricPeerOrg): NodeMaterial {
  const [peer] = peerOrgMaterial(layout, org).peers;
  if (peer === undefined)
    throw new FabricNetworkError('INCOMPLETE_CRYPTO', `the crypto layout has no peer of ${org.mspId}`);
  return peer;
}

/** `org`'s admin (the peer CLI's identity for channel joins and the chaincode lifecycle). */
export function peerAdminMaterial(layout: CryptoLayout, org: FabricPeerOrg): UserMaterial {
  return userByMember(layout, adminMemberId(org)).user;
}

/** Paths the network needs that are absent from `cryptoDir`. */
export function missingMaterial(cryptoDir: string): string[] {
  const layout = cryptoLayout(cryptoDir);
  const ordererOrg = ordererOrgMaterial(layout);
  const needed = [
    ordererOrg.tlsCaCertFile,
    join(ordererOrg.mspDir, 'config.yaml'),
    ordererAdminMaterial(layout).tlsCertFile,
  ];
  for (const node of ordererNodes(4)) {
    const orderer = ordererMaterial(layout, node);
    needed.push(dirname(orderer.signCertFile), orderer.tlsCertFile, orderer.tlsKeyFile);
  }
  for (const org of PEER_ORGS) {
    const material = peerOrgMaterial(layout, org);
    needed.push(material.tlsCaCertFile, join(material.mspDir, 'config.yaml'));
    const peer = peerMaterial(layout, org);
    needed.push(dirname(peer.keyFile), peer.tlsCertFile, peer.tlsKeyFile);
    needed.push(dirname(peerAdminMaterial(layout, org).keyFile));
    for (const user of org.users) needed.push(dirname(userByMember(layout, user).user.keyFile));
  }
  return needed.filter((p) => !existsSync(p));
}

/**
 * Makes sure .veriscan/crypto holds the whole topology by calling the project's one generator,
 * `generateCryptoMaterial({ outDir })` of @veriscan/fabric-kit. The generator leaves complete material
 * alone, so the devnet's files are kept.
 * @throws FabricNetworkError `INCOMPLETE_CRYPTO` when files are still missing afterwards.
 */
export async function ensureCryptoMaterial(
  paths: LauncherPaths,
  log: (message: string) => void,
): Promise<void> {
  if (missingMaterial(paths.crypto).length === 0) return;
  log(`generating crypto material in ${paths.crypto}`);
  await generateCryptoMaterial({ outDir: paths.crypto });
  const [missing] = missingMaterial(paths.crypto);
  if (missing !== undefined) {
    throw new FabricNetworkError(
      'INCOMPLETE_CRYPTO',
      `crypto material in ${paths.crypto} is incomplete (${missing} is missing); remove the directory and run \`up\` again`,
    );
  }
}
