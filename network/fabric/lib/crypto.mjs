// Crypto material: the devnet's generator writes it once to .veriscan/crypto and both networks use the same
// files, so the attribute-bearing user certificates behave the same on the devnet and on real Fabric.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cryptoPaths, ordererNodes, PEER_ORGS } from './topology.mjs';

/** The one file in `dir` (signcerts/, keystore/), or null. */
export function onlyFileIn(dir) {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort();
  return files.length > 0 ? join(dir, files[0]) : null;
}

/** Signing certificate and key of an MSP directory (cryptogen layout). */
export function mspFiles(mspDir) {
  return { certFile: onlyFileIn(join(mspDir, 'signcerts')), keyFile: onlyFileIn(join(mspDir, 'keystore')) };
}

/** Paths the network needs that are absent from `cryptoDir`. */
export function missingMaterial(cryptoDir) {
  const c = cryptoPaths(cryptoDir);
  const needed = [
    c.ordererTlsCa,
    join(c.ordererOrg, 'msp', 'config.yaml'),
    join(c.ordererAdmin, 'tls', 'client.crt'),
  ];
  for (const node of ordererNodes(4)) {
    needed.push(
      join(c.orderer(node), 'msp', 'signcerts'),
      join(c.orderer(node), 'tls', 'server.crt'),
      join(c.orderer(node), 'tls', 'server.key'),
    );
  }
  for (const org of PEER_ORGS) {
    needed.push(c.peerTlsCa(org), join(c.peerOrg(org), 'msp', 'config.yaml'));
    needed.push(
      join(c.peer(org), 'msp', 'keystore'),
      join(c.peer(org), 'tls', 'server.crt'),
      join(c.peer(org), 'tls', 'server.key'),
    );
    needed.push(join(c.admin(org), 'msp', 'keystore'));
    for (const user of org.users) needed.push(join(c.user(org, user), 'msp', 'keystore'));
  }
  return needed.filter((p) => !existsSync(p));
}

/**
 * Makes sure .veriscan/crypto holds the whole topology by calling the project's one generator,
 * `generateCryptoMaterial({ outDir })` of @veriscan/fabric-kit. The generator leaves complete material
 * alone, so the devnet's files are kept.
 */
export async function ensureCryptoMaterial(paths, log) {
  if (missingMaterial(paths.crypto).length === 0) return;
  log(`generating crypto material in ${paths.crypto}`);
  const { generateCryptoMaterial } = await import('@veriscan/fabric-kit');
  await generateCryptoMaterial({ outDir: paths.crypto });
  const missing = missingMaterial(paths.crypto);
  if (missing.length > 0) {
    throw new Error(
      `crypto material in ${paths.crypto} is incomplete (${missing[0]} is missing); remove the directory and run \`up\` again`,
    );
  }
}
