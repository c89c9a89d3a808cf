// The connection profile (.veriscan/network.json, format: fabric-kit/src/profile.ts) that apps, tests
// and benchmarks read instead of hard-coding ports or paths. Absolute paths only.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mspFiles } from './crypto.mjs';
import { CHAINCODE, CHANNEL, cryptoPaths, PEER_ORGS } from './topology.mjs';

function identityOf(mspDir, org) {
  const { certFile, keyFile } = mspFiles(mspDir);
  if (certFile === null || keyFile === null) throw new Error(`no certificate or key in ${mspDir}`);
  return { mspId: org.mspId, certFile, keyFile, peer: org.peerName };
}

/** The profile for the native network. */
export function buildProfile(paths) {
  const c = cryptoPaths(paths.crypto);
  const peers = {};
  const identities = {};
  for (const org of PEER_ORGS) {
    peers[org.peerName] = {
      mspId: org.mspId,
      endpoint: `127.0.0.1:${org.peerPort}`,
      hostAlias: `peer0.${org.domain}`,
      tlsCaFile: c.peerTlsCa(org),
    };
    for (const user of org.users) identities[user] = identityOf(join(c.user(org, user), 'msp'), org);
    identities[`${org.key}-admin`] = identityOf(join(c.admin(org), 'msp'), org);
  }
  return {
    network: 'fabric',
    channel: CHANNEL,
    chaincodes: { [CHAINCODE.name]: { name: CHAINCODE.name } },
    peers,
    identities,
  };
}

/** Writes the profile atomically (readers never see half a file). */
export function writeProfile(paths, profile) {
  mkdirSync(dirname(paths.profile), { recursive: true });
  const tmp = `${paths.profile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(profile, null, 2)}\n`);
  renameSync(tmp, paths.profile);
}

/** Removes the profile if this network wrote it (the devnet's is left alone). */
export function removeProfileIfOurs(paths) {
  if (!existsSync(paths.profile)) return false;
  try {
    if (JSON.parse(readFileSync(paths.profile, 'utf8')).network !== 'fabric') return false;
  } catch {
    return false;
  }
  rmSync(paths.profile, { force: true });
  return true;
}
