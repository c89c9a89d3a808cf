#!/usr/bin/env node
// Launcher for a real Hyperledger Fabric v3.1 network run natively from the binaries in FABRIC_BIN (no
// Docker). Plain Node, no build step. `node network/fabric/fabric.mjs --help` (or `npm run fabric -- --help`).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissingFabricError } from './lib/binaries.mjs';
import { composeGenesis } from './lib/compose.mjs';
import { clean, down, status, stopNode, up } from './lib/network.mjs';
import { CHAINCODE, layout } from './lib/topology.mjs';

const USAGE = `usage: node network/fabric/fabric.mjs <command> [options]

Runs Hyperledger Fabric v3.1 as plain processes: the orgs of the consortium table (fabric-kit), one
peer each, channel "veriscan", TLS everywhere, chaincode "veriscan" as a service (one chaincode server per
org) with endorsement ${CHAINCODE.policy}.

commands:
  up                 start what is not running, create the channel and deploy the chaincode if needed,
                     then write .veriscan/network.json (idempotent)
  down               stop every process this launcher started (by pid); ledgers are kept
  status [--json]    show each process; exit code 0 when all run, 3 otherwise
  clean              down, then remove .veriscan/fabric (state, logs, ledgers); .veriscan/crypto stays
  stop-node <name>   stop one process, e.g. orderer1 or peer0.lab (failover tests); \`up\` restarts it
  compose-genesis    for docker-compose.yaml: write .veriscan/compose/ (genesis block with the containers'
                     host names, chaincode packages and TLS files, compose.env with the package ids,
                     network.json); see docs/deploy.md

options for up and compose-genesis:
  --orderers <n>     Raft orderers: 1 (default) or 3
  --consensus <c>    raft (default) or bft (SmartBFT with 4 orderers, tolerates one faulty orderer)
  --no-build         serve the chaincode already in chaincode/dist instead of running tsc -b first
  -h, --help         this text

environment:
  FABRIC_BIN         directory with Fabric's peer, orderer, configtxgen, osnadmin, configtxlator (required)
  FABRIC_LOGGING_SPEC  log level of peers and orderers (default info)
  VERISCAN_HOME      state folder instead of <repo>/.veriscan (as for the devnet)

ports (no clash with the devnet): orderers 17050/17150/17250/17350 (osnadmin +3), peers hospital 17051,
lab 18051, regulator 19051, chaincode servers 19997-19999, operations 19443-19452.
state and logs: .veriscan/fabric/ (logs/<process>.log, state.json, data/ ledgers)`;

/** Parses argv into { command, topology, json, node }; throws on anything unknown. */
function parseArgs(argv) {
  const out = { command: null, topology: null, json: false, node: null, help: false, build: true };
  let orderers = null;
  let consensus = null;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      i += 1;
      return next;
    };
    if (arg === '-h' || arg === '--help') out.help = true;
    else if (arg === '--json') out.json = true;
    else if (arg === '--no-build') out.build = false;
    else if (arg === '--orderers') orderers = value();
    else if (arg.startsWith('--orderers=')) orderers = arg.slice('--orderers='.length);
    else if (arg === '--consensus') consensus = value();
    else if (arg.startsWith('--consensus=')) consensus = arg.slice('--consensus='.length);
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if (out.command === null) out.command = arg;
    else if (out.command === 'stop-node' && out.node === null) out.node = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (consensus !== null && consensus !== 'raft' && consensus !== 'bft')
    throw new Error(`--consensus must be raft or bft, not ${consensus}`);
  if (consensus === 'bft') {
    if (orderers !== null && orderers !== '4') throw new Error('--consensus bft runs exactly 4 orderers');
    out.topology = 'bft-4';
  } else if (orderers !== null) {
    if (orderers !== '1' && orderers !== '3')
      throw new Error(`--orderers must be 1 or 3 for Raft, not ${orderers}`);
    out.topology = `raft-${orderers}`;
  } else if (consensus === 'raft') {
    out.topology = 'raft-1';
  }
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help || args.command === null) {
    process.stdout.write(`${USAGE}\n`);
    return args.help ? 0 : 2;
  }
  const paths = layout(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
  switch (args.command) {
    case 'up':
      await up(paths, args.topology, { build: args.build });
      return 0;
    case 'down':
      await down(paths);
      return 0;
    case 'status':
      return (await status(paths, { json: args.json })) ? 0 : 3;
    case 'clean':
      await clean(paths);
      return 0;
    case 'compose-genesis':
      await composeGenesis(paths, args.topology, (m) => process.stdout.write(`fabric: ${m}\n`));
      return 0;
    case 'stop-node':
      if (args.node === null) throw new Error('stop-node needs a process name, e.g. orderer1');
      await stopNode(paths, args.node);
      return 0;
    default:
      throw new Error(`unknown command ${args.command}\n\n${USAGE}`);
  }
}

// `status | head` closes the pipe early: not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(
      `fabric: ${error instanceof MissingFabricError ? '' : 'error: '}${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
