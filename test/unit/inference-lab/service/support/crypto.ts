/**
 * Real Fabric MSP material for the signed-request tests: one hospital, one lab and one regulator org
 * of the consortium, each with its admin and application user, generated once per run.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  cryptoLayout,
  generateCryptoMaterial,
  orgByMspId,
  peerOrgByKey,
  userByMember,
  type CryptoLayout,
  type OrgSpec,
} from '@veriscan/fabric-kit';
import { isMemberId } from '@veriscan/protocol';
import type { TrustedMsp } from '../../../../../inference-lab/src/fetch/request-verifier';
import { RequestSigner } from '../../../../../inference-lab/src/fetch/signed-request';
import { tempDir } from './fixtures';

const HOSPITAL = peerOrgByKey('hospital-a');

/**
 * The orgs generated. hospital-a also enrols `hospital-a-auditor`: a certificate its own CA issued
 * with a job hospitals never sign requests with.
 */
const ORGS: readonly OrgSpec[] = [
  { ...HOSPITAL, users: [...HOSPITAL.users, { name: 'hospital-a-auditor', job: 'auditor' }] },
  peerOrgByKey('lab-1'),
  peerOrgByKey('regulator-1'),
];

let material: Promise<CryptoLayout> | undefined;

/** The generated layout (shared by all tests of the run). */
export async function testCrypto(): Promise<CryptoLayout> {
  material ??= generateCryptoMaterial({ outDir: tempDir('crypto'), consortium: ORGS }).then((r) =>
    cryptoLayout(r.layout.rootDir, ORGS),
  );
  return material;
}

/** A signer for an identity of the generated material (`lab-1`, `hospital-a-admin`, …). */
export async function signerFor(identity: string, now?: () => Date): Promise<RequestSigner> {
  const { org, user } = userByMember(await testCrypto(), identity);
  return new RequestSigner({
    mspId: org.mspId,
    certPem: readFileSync(user.signCertFile, 'utf8'),
    privateKey: createPrivateKey(readFileSync(user.keyFile)),
    ...(now === undefined ? {} : { now }),
  });
}

/** The trusted-MSP entry of a generated org, as the consortium table describes it (`lab-1` → Lab1MSP). */
export async function trustedOrg(key: string): Promise<TrustedMsp> {
  const org = peerOrgByKey(key);
  if (!isMemberId(org.key)) throw new Error(`${org.key} is not a member id`);
  const { mspDir } = orgByMspId(await testCrypto(), org.mspId);
  return { mspId: org.mspId, memberId: org.key, role: org.memberRole, mspDir };
}
