/**
 * Inputs for docker-compose.yaml, made with the same template and packager as the native network: the
 * genesis block (configtx.yaml generated with the containers' DNS names), each org's chaincode package
 * (connection.json pointing at its chaincode container, with mutual TLS), the chaincode servers' TLS files
 * and compose.env with the package ids the chaincode containers serve. Fabric's CLIs then join and deploy
 * against the published ports (docs/deploy.md).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNetworkProfile } from '@veriscan/fabric-kit';
import { fabricBinaries } from './binaries';
import { ccaasPackage } from './ccaas-package';
import { ensureChaincodeTls } from './chaincode-tls';
import { renderConfigtx, writeGenesisBlock } from './channel';
import { ensureCryptoMaterial } from './crypto';
import { fabricProfile } from './profile';
import {
  CHAINCODE,
  PEER_ORGS,
  TOPOLOGIES,
  chaincodeIdVariable,
  type LauncherPaths,
  type TopologyKey,
} from './topology';

/**
 * Writes .veriscan/compose/{veriscan.block, packages/, chaincode-tls/, compose.env, network.json}.
 * @returns the env file's path.
 */
export async function composeGenesis(
  paths: LauncherPaths,
  topologyKey: TopologyKey | null,
  log: (message: string) => void,
): Promise<string> {
  const bin = fabricBinaries();
  const topology = TOPOLOGIES[topologyKey ?? 'raft-1'];
  await ensureCryptoMaterial(paths, log);
  const dir = join(paths.veriscan, 'compose');
  const configDir = join(dir, 'config');
  // configtxgen runs on this host and copies certificates into the block, so host paths are right here.
  renderConfigtx(paths, { outDir: configDir, mode: 'compose' });
  const block = join(dir, 'veriscan.block');
  writeGenesisBlock(bin, { configDir, profile: topology.profile, block });
  log(`genesis block (${topology.profile}, container host names): ${block}`);

  mkdirSync(join(dir, 'packages'), { recursive: true });
  const env = [
    `# written by \`npm run fabric -- compose-genesis\`: docker compose --env-file ${join(dir, 'compose.env')} up -d`,
  ];
  env.push(`VERISCAN_HOME=${paths.veriscan}`);
  for (const org of PEER_ORGS) {
    // Mounted at /tls in the org's chaincode container: server pair plus ca.crt to check the peer's client cert.
    const tlsDir = join(dir, 'chaincode-tls', org.key);
    const tls = await ensureChaincodeTls(paths, org, tlsDir);
    copyFileSync(tls.files.caFile, join(tlsDir, 'ca.crt'));
    const { bytes, packageId } = ccaasPackage({
      label: CHAINCODE.label,
      address: `chaincode.${org.domain}:${org.chaincodePort}`,
      connection: tls.connection,
    });
    const file = join(dir, 'packages', `${CHAINCODE.name}-${org.key}.tar.gz`);
    writeFileSync(file, bytes);
    env.push(`${chaincodeIdVariable(org)}=${packageId}`);
    log(`package for ${org.orgName}: ${file} (${packageId})`);
  }
  // Ports are published 1:1, so the native profile's endpoints are the compose network's too.
  const profileFile = join(dir, 'network.json');
  writeNetworkProfile(profileFile, fabricProfile(paths));
  log(`connection profile for apps once the containers are up: ${profileFile} (copy to ${paths.profile})`);
  const envFile = join(dir, 'compose.env');
  writeFileSync(envFile, `${env.join('\n')}\n`);
  log(`package ids for the chaincode containers: ${envFile}`);
  return envFile;
}
