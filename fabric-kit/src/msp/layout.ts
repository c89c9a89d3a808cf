/**
 * Where the generated crypto material lives: Fabric cryptogen's standard folder layout
 * (cmd/cryptogen/main.go `generatePeerOrg`/`generateOrdererOrg`, internal/cryptogen/msp/msp.go
 * `GenerateLocalMSP`/`GenerateVerifyingMSP`), described as data so no other module hard-codes a path.
 *
 * Pure path arithmetic: nothing here touches the file system.
 */
import { join } from 'node:path';

import {
  CONSORTIUM,
  adminMemberId,
  orgDomain,
  type Job,
  type NodeOuRole,
  type OrgSpec,
} from '../consortium.js';
import { FabricKitError } from '../errors';

/** The files of a local MSP folder (`msp/`) as Fabric's peer and orderer read them. */
export interface LocalMspFiles {
  /** The `msp/` folder to give Fabric as `mspConfigPath`. */
  readonly mspDir: string;
  /** `msp/signcerts/cert.pem`. */
  readonly signCertFile: string;
  /** `msp/keystore/priv_sk`: PKCS#8 PEM. */
  readonly keyFile: string;
  /** `msp/cacerts/ca.<domain>-cert.pem`. */
  readonly caCertFile: string;
  /** `msp/tlscacerts/tlsca.<domain>-cert.pem`. */
  readonly tlsCaCertFile: string;
  /** `msp/config.yaml` (NodeOUs). */
  readonly configFile: string;
}

/** The `tls/` folder of a node or user. */
export interface TlsFiles {
  readonly tlsDir: string;
  /** `tls/server.crt` for nodes, `tls/client.crt` for users. */
  readonly tlsCertFile: string;
  /** `tls/server.key` or `tls/client.key`: PKCS#8 PEM. */
  readonly tlsKeyFile: string;
  /** `tls/ca.crt`: the org's TLS CA. */
  readonly tlsCaCertFile: string;
}

/** A peer or orderer node. */
export interface NodeMaterial extends LocalMspFiles, TlsFiles {
  readonly kind: 'peer' | 'orderer';
  /** The node's fully qualified host name, its certificate CN and first DNS SAN, e.g. `peer0.lab-1.veriscan.local`. */
  readonly host: string;
  /** The node's short name, e.g. `peer0`. */
  readonly shortName: string;
}

/** A user (the org admin or an application user). */
export interface UserMaterial extends LocalMspFiles, TlsFiles {
  /** Folder name and certificate CN, e.g. `hospital-a@hospital-a.veriscan.local`. */
  readonly name: string;
  /** The identity's name in the connection profile and its `hf.EnrollmentID`, e.g. `hospital-a` or `hospital-a-admin`. */
  readonly member: string;
  /** `veriscan.job`: what the user does inside its institution. */
  readonly job: Job;
  /** The NodeOU the certificate carries: `admin` for the org admin, else `client`. */
  readonly nodeOu: Extract<NodeOuRole, 'client' | 'admin'>;
}

/** One organisation's material. */
export interface OrgMaterial {
  readonly key: string;
  readonly kind: 'orderer' | 'peer';
  readonly mspId: string;
  readonly domain: string;
  /** `<out>/peerOrganizations/<domain>` or `<out>/ordererOrganizations/<domain>`. */
  readonly orgDir: string;
  /** The org's verifying MSP (`msp/`: cacerts, tlscacerts, config.yaml), as a channel config would hold it. */
  readonly mspDir: string;
  /** `ca/ca.<domain>-cert.pem`, the root of the org's identities. */
  readonly caCertFile: string;
  /** `ca/priv_sk`. */
  readonly caKeyFile: string;
  /** `tlsca/tlsca.<domain>-cert.pem`, the root of the org's TLS certificates. */
  readonly tlsCaCertFile: string;
  /** `tlsca/priv_sk`. */
  readonly tlsCaKeyFile: string;
  /** File name of the CA certificate inside any `msp/cacerts/`. */
  readonly caCertName: string;
  /** File name of the TLS CA certificate inside any `msp/tlscacerts/`. */
  readonly tlsCaCertName: string;
  /** Peers (empty for the orderer org). */
  readonly peers: readonly NodeMaterial[];
  /** Orderers (empty for peer orgs). */
  readonly orderers: readonly NodeMaterial[];
  /** The org admin first, then the application users. */
  readonly users: readonly UserMaterial[];
}

/** The whole generated tree. */
export interface CryptoLayout {
  readonly rootDir: string;
  /** Written last by the generator: its presence means the tree is complete. */
  readonly completeMarker: string;
  /** Orgs in a fixed order: orderer, hospital, lab, regulator. */
  readonly orgs: readonly OrgMaterial[];
}

/** The name of the marker file written once generation has finished. */
export const COMPLETE_MARKER = '.complete';

function localMsp(dir: string, org: OrgSpec): LocalMspFiles {
  const mspDir = join(dir, 'msp');
  const domain = orgDomain(org);
  return {
    mspDir,
    signCertFile: join(mspDir, 'signcerts', 'cert.pem'),
    keyFile: join(mspDir, 'keystore', 'priv_sk'),
    caCertFile: join(mspDir, 'cacerts', `ca.${domain}-cert.pem`),
    tlsCaCertFile: join(mspDir, 'tlscacerts', `tlsca.${domain}-cert.pem`),
    configFile: join(mspDir, 'config.yaml'),
  };
}

function tls(dir: string, prefix: 'server' | 'client'): TlsFiles {
  const tlsDir = join(dir, 'tls');
  return {
    tlsDir,
    tlsCertFile: join(tlsDir, `${prefix}.crt`),
    tlsKeyFile: join(tlsDir, `${prefix}.key`),
    tlsCaCertFile: join(tlsDir, 'ca.crt'),
  };
}

function orgLayout(rootDir: string, org: OrgSpec): OrgMaterial {
  const domain = orgDomain(org);
  const orgDir = join(rootDir, org.kind === 'peer' ? 'peerOrganizations' : 'ordererOrganizations', domain);
  const nodesDir = join(orgDir, org.kind === 'peer' ? 'peers' : 'orderers');
  const nodes: NodeMaterial[] = [];
  for (let i = 0; i < org.nodeCount; i++) {
    const shortName = `${org.kind}${i}`;
    const host = `${shortName}.${domain}`;
    const dir = join(nodesDir, host);
    nodes.push({ kind: org.kind, host, shortName, ...localMsp(dir, org), ...tls(dir, 'server') });
  }
  const usersDir = join(orgDir, 'users');
  const user = (name: string, member: string, job: Job, nodeOu: 'client' | 'admin'): UserMaterial => {
    const dir = join(usersDir, name);
    return { name, member, job, nodeOu, ...localMsp(dir, org), ...tls(dir, 'client') };
  };
  const users = [
    user(`Admin@${domain}`, adminMemberId(org), 'admin', 'admin'),
    ...org.users.map((u) => user(`${u.name}@${domain}`, u.name, u.job, 'client')),
  ];
  const caCertName = `ca.${domain}-cert.pem`;
  const tlsCaCertName = `tlsca.${domain}-cert.pem`;
  return {
    key: org.key,
    kind: org.kind,
    mspId: org.mspId,
    domain,
    orgDir,
    mspDir: join(orgDir, 'msp'),
    caCertFile: join(orgDir, 'ca', caCertName),
    caKeyFile: join(orgDir, 'ca', 'priv_sk'),
    tlsCaCertFile: join(orgDir, 'tlsca', tlsCaCertName),
    tlsCaKeyFile: join(orgDir, 'tlsca', 'priv_sk'),
    caCertName,
    tlsCaCertName,
    peers: org.kind === 'peer' ? nodes : [],
    orderers: org.kind === 'orderer' ? nodes : [],
    users,
  };
}

/**
 * Describes the material {@link generateCryptoMaterial} writes under `outDir`.
 * @param outDir the crypto root, e.g. `.veriscan/crypto`.
 * @param consortium the orgs; defaults to the Veriscan consortium.
 */
export function cryptoLayout(outDir: string, consortium: readonly OrgSpec[] = CONSORTIUM): CryptoLayout {
  return {
    rootDir: outDir,
    completeMarker: join(outDir, COMPLETE_MARKER),
    orgs: consortium.map((org) => orgLayout(outDir, org)),
  };
}

/**
 * The org with the given MSP id.
 * @throws Error if the layout has no such org.
 */
export function orgByMspId(layout: CryptoLayout, mspId: string): OrgMaterial {
  const org = layout.orgs.find((o) => o.mspId === mspId);
  if (org === undefined)
    throw new FabricKitError('UNKNOWN_NAME', `no org with MSP id ${mspId} in the crypto layout`);
  return org;
}

/** A user together with its org, found by identity name (e.g. `lab-1`, `hospital-a-admin`). */
export interface UserWithOrg {
  readonly org: OrgMaterial;
  readonly user: UserMaterial;
}

/**
 * The user with the given member id.
 * @throws Error if no org has such a user.
 */
export function userByMember(layout: CryptoLayout, member: string): UserWithOrg {
  for (const org of layout.orgs) {
    const user = org.users.find((u) => u.member === member);
    if (user !== undefined) return { org, user };
  }
  throw new FabricKitError('UNKNOWN_NAME', `no user ${member} in the crypto layout`);
}
