/** Real Fabric MSP material for the signed-request tests: a hospital org and a lab org, generated once. */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  orgOfRole,
  cryptoLayout,
  generateCryptoMaterial,
  userByMember,
  type CryptoLayout,
  type OrgSpec,
} from '@veriscan/fabric-kit';
import { RequestSigner } from '../../../../../inference-lab/src/fetch/signed-request';
import { tempDir } from './fixtures';

// The consortium's hospital org and its lab org with one lab user: enough for the signature tests.
const LAB_ORG = orgOfRole('lab');
const ORGS: readonly OrgSpec[] = [
  orgOfRole('hospital'),
  { ...LAB_ORG, users: LAB_ORG.users.filter((u) => u.member === 'lab-1') },
];

let material: Promise<CryptoLayout> | undefined;

/** The generated layout (shared by all tests of the run). */
export async function testCrypto(): Promise<CryptoLayout> {
  material ??= generateCryptoMaterial({ outDir: tempDir('crypto'), consortium: ORGS }).then((r) =>
    cryptoLayout(r.layout.rootDir, ORGS),
  );
  return material;
}

/** A signer for a member of the generated material. */
export async function signerFor(member: string, now?: () => Date): Promise<RequestSigner> {
  const { org, user } = userByMember(await testCrypto(), member);
  return new RequestSigner({
    mspId: org.mspId,
    certPem: readFileSync(user.signCertFile, 'utf8'),
    privateKey: createPrivateKey(readFileSync(user.keyFile)),
    ...(now === undefined ? {} : { now }),
  });
}

/** The verifying MSP folder of an org of the generated material. */
export async function mspDirOf(mspId: string): Promise<string> {
  const org = (await testCrypto()).orgs.find((o) => o.mspId === mspId);
  if (org === undefined) throw new Error(`no org ${mspId}`);
  return org.mspDir;
}
