// The `veriscan` channel on Fabric v3 (no system channel): configtxgen writes the genesis block, each
// orderer joins through osnadmin (channel participation API), each peer's admin runs `peer channel join`.
// Every step checks first, so `up` can be run again on a half-started network.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHANNEL, cryptoPaths, ordererNodes, PEER_ORGS } from './topology.mjs';
import { mspFiles } from './crypto.mjs';
import { osnadminTlsArgs, peerAdminEnv } from './node-env.mjs';
import { run, tryRun } from './run.mjs';

/** Host names for configtx.yaml: 127.0.0.1 for the native network, DNS names under docker-compose. */
export function configtxHosts(mode) {
  const hosts = {};
  for (const node of ordererNodes(4))
    hosts[`ORDERER${node.index}_HOST`] = mode === 'compose' ? node.host : '127.0.0.1';
  for (const org of PEER_ORGS)
    hosts[`${org.key.toUpperCase()}_PEER_HOST`] = mode === 'compose' ? `peer0.${org.domain}` : '127.0.0.1';
  return hosts;
}

/** Fills configtx.yaml's placeholders (crypto paths, orderer certificates, hosts) into `outDir`/configtx.yaml. */
export function renderConfigtx(
  paths,
  { outDir = paths.renderedConfig, hosts = configtxHosts('native') } = {},
) {
  let text = readFileSync(join(paths.configDir, 'configtx.yaml'), 'utf8');
  const c = cryptoPaths(paths.crypto);
  for (const node of ordererNodes(4)) {
    const { certFile } = mspFiles(join(c.orderer(node), 'msp'));
    if (certFile === null) throw new Error(`no signing certificate for ${node.name} in ${c.orderer(node)}`);
    text = text.replaceAll(`{{ORDERER${node.index}_SIGNCERT}}`, certFile);
  }
  for (const [name, value] of Object.entries(hosts)) text = text.replaceAll(`{{${name}}}`, value);
  text = text.replaceAll('{{CRYPTO}}', paths.crypto);
  const left = /\{\{[A-Z0-9_]+\}\}/.exec(text);
  if (left) throw new Error(`configtx.yaml placeholder ${left[0]} has no value`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'configtx.yaml'), text);
}

/** Runs configtxgen for `profile` on the configtx.yaml in `configDir`, writing the genesis block to `block`. */
export function writeGenesisBlock(bin, { configDir, profile, block }) {
  mkdirSync(dirname(block), { recursive: true });
  run(bin.configtxgen, [
    '-configPath',
    configDir,
    '-profile',
    profile,
    '-outputBlock',
    block,
    '-channelID',
    CHANNEL,
  ]);
}

/** Writes the channel's genesis block once; later runs reuse it (the orderers' ledgers start from it). */
export function ensureGenesisBlock(paths, bin, topology, log) {
  if (existsSync(paths.channelBlock)) return;
  renderConfigtx(paths);
  log(`writing the genesis block of channel ${CHANNEL} (profile ${topology.profile})`);
  writeGenesisBlock(bin, {
    configDir: paths.renderedConfig,
    profile: topology.profile,
    block: paths.channelBlock,
  });
}

/** Joins every orderer of the topology to the channel unless it already serves it. */
export function joinOrderers(paths, bin, topology, log) {
  for (const node of ordererNodes(topology.orderers)) {
    const endpoint = `127.0.0.1:${node.adminPort}`;
    const listed = tryRun(bin.osnadmin, [
      'channel',
      'list',
      '--channelID',
      CHANNEL,
      '-o',
      endpoint,
      ...osnadminTlsArgs(paths),
    ]);
    if (listed.status === 0 && /Status:\s*200/.test(listed.stdout + listed.stderr)) continue;
    log(`joining ${node.name} to ${CHANNEL}`);
    const joined = run(bin.osnadmin, [
      'channel',
      'join',
      '--channelID',
      CHANNEL,
      '--config-block',
      paths.channelBlock,
      '-o',
      endpoint,
      ...osnadminTlsArgs(paths),
    ]);
    if (!/Status:\s*201/.test(joined.stdout + joined.stderr)) {
      throw new Error(
        `osnadmin channel join on ${node.name} did not succeed:\n${joined.stdout}${joined.stderr}`,
      );
    }
  }
}

/** Joins `org`'s peer to the channel unless `peer channel list` already shows it. */
export function joinPeer(paths, bin, org, log) {
  const env = peerAdminEnv(paths, org);
  const listed = run(bin.peer, ['channel', 'list'], { env });
  if (listed.stdout.split('\n').some((line) => line.trim() === CHANNEL)) return;
  log(`joining ${org.peerName} to ${CHANNEL}`);
  run(bin.peer, ['channel', 'join', '-b', paths.channelBlock], { env });
}

/** Arguments that send the peer CLI's lifecycle transactions to orderer `node`, with its TLS CA. */
export function ordererArgs(paths, node) {
  return ['-o', `127.0.0.1:${node.port}`, '--tls', '--cafile', cryptoPaths(paths.crypto).ordererTlsCa];
}
