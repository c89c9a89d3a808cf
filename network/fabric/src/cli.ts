#!/usr/bin/env node
/**
 * The launcher's CLI: a real Hyperledger Fabric v3.1 network run natively from the binaries in FABRIC_BIN
 * (no Docker). `npm run fabric -- --help`, or `npm run fabric -- <command> --help` for one command.
 *
 * Exit codes: 0 done; 1 an error (the message on stderr as `fabric: error: …`, or `fabric: …` with the
 * way to get Fabric's binaries when FABRIC_BIN is missing or incomplete); 2 no command given (the usage
 * is printed); 3 `status` found a process that is not running.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { composeGenesis } from './compose';
import { FabricNetworkError, messageOf } from './errors';
import { clean, down, status, stopNode, up } from './network';
import { CHAINCODE, launcherPaths, type TopologyKey } from './topology';
import { renderComposeFile } from './compose-file';

const PROGRAM = 'node network/fabric/dist/cli.js';

/** Exit codes of the CLI. */
export const ExitCode = {
  OK: 0,
  ERROR: 1,
  USAGE: 2,
  NOT_ALL_RUNNING: 3,
} as const;

const USAGE = `usage: ${PROGRAM} <command> [options]

Runs Hyperledger Fabric v3.1 as plain processes: the orgs of the consortium table (fabric-kit), one
peer each, channel "veriscan", TLS everywhere, chaincode "veriscan" as a service (one chaincode server per
org) with endorsement policy ${CHAINCODE.channelConfigPolicy}.

commands:
  up                 start what is not running, create the channel and deploy the chaincode if needed,
                     then write .veriscan/network.json (idempotent)
  down               stop every process this launcher started (by pid); ledgers are kept
  status [--json]    show each process; exit code 0 when all run, 3 otherwise
  clean              down, then remove .veriscan/fabric (state, logs, ledgers); .veriscan/crypto stays
  stop-node <name>   stop one process, e.g. orderer1 or peer0.lab-1 (failover tests); \`up\` restarts it
  compose-genesis    for docker-compose.yaml: write .veriscan/compose/ (genesis block with the containers'
                     host names, chaincode packages and TLS files, compose.env with the package ids,
                     network.json); see docs/deploy.md
  compose-file       regenerate docker-compose.yaml from the consortium table (commit the result)

options for up and compose-genesis:
  --orderers <n>     Raft orderers: 1 (default) or 3
  --consensus <c>    raft (default) or bft (SmartBFT with 4 orderers, tolerates one faulty orderer)
  --no-build         serve the chaincode already in chaincode/dist instead of running tsc -b first
  -h, --help         this text

environment:
  FABRIC_BIN         directory with Fabric's peer, orderer, configtxgen, osnadmin, configtxlator (required)
  FABRIC_LOGGING_SPEC  log level of peers and orderers (default info)
  VERISCAN_HOME      state folder instead of <repo>/.veriscan (as for the devnet)

ports (no clash with the devnet): orderers 17050/17150/17250/17350 (osnadmin +3), peers 18051 and up,
100 apart in table order (hospital-a 18051 ... regulator-1 18451), chaincode servers 19960 and up,
operations 19443-19446 (orderers) and 19450 and up (peers).
state and logs: .veriscan/fabric/ (logs/<process>.log, state.json, data/ ledgers)`;

/** `--orderers` and `--consensus` as given. */
export type TopologyOptions = Readonly<{ orderers?: string; consensus?: string }>;

/**
 * The topology asked for by `--orderers` / `--consensus`, or null when neither is given (then `up` reuses
 * the existing network's, else raft-1).
 * @throws FabricNetworkError `INVALID_OPTION` for a value or combination that names no topology.
 */
export function topologyFromOptions(options: TopologyOptions): TopologyKey | null {
  const { orderers, consensus } = options;
  if (consensus !== undefined && consensus !== 'raft' && consensus !== 'bft')
    throw new FabricNetworkError('INVALID_OPTION', `--consensus must be raft or bft, not ${consensus}`);
  if (consensus === 'bft') {
    if (orderers !== undefined && orderers !== '4')
      throw new FabricNetworkError('INVALID_OPTION', '--consensus bft runs exactly 4 orderers');
    return 'bft-4';
  }
  if (orderers !== undefined) {
    if (orderers === '1') return 'raft-1';
    if (orderers === '3') return 'raft-3';
    throw new FabricNetworkError('INVALID_OPTION', `--orderers must be 1 or 3 for Raft, not ${orderers}`);
  }
  return consensus === 'raft' ? 'raft-1' : null;
}

function topologyOptions(command: Command): Command {
  return command
    .option('--orderers <n>', 'Raft orderers: 1 (default) or 3')
    .option(
      '--consensus <c>',
      'raft (default) or bft (SmartBFT with 4 orderers, tolerates one faulty orderer)',
    );
}

/** The commander program; `setExitCode` receives the code a command wants to exit with. */
function buildProgram(setExitCode: (code: number) => void): Command {
  const log = (message: string): void => {
    process.stdout.write(`fabric: ${message}\n`);
  };
  const paths = (): ReturnType<typeof launcherPaths> => launcherPaths();
  const program = new Command()
    .name(PROGRAM)
    .description('Runs Hyperledger Fabric v3.1 as plain processes from the binaries in FABRIC_BIN.')
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => {
        write(`fabric: ${text}`);
      },
    });

  topologyOptions(
    program
      .command('up')
      .description(
        'start what is not running, create the channel and deploy the chaincode if needed, then write .veriscan/network.json (idempotent)',
      ),
  )
    .option('--no-build', 'serve the chaincode already in chaincode/dist instead of running tsc -b first')
    .action(async (options: TopologyOptions & { build: boolean }) => {
      await up(paths(), topologyFromOptions(options), { build: options.build });
    });

  program
    .command('down')
    .description('stop every process this launcher started (by pid); ledgers are kept')
    .action(async () => {
      await down(paths());
    });

  program
    .command('status')
    .description('show each process; exit code 0 when all run, 3 otherwise')
    .option('--json', 'print JSON (up, topology, leader, packages, processes)')
    .action(async (options: { json?: boolean }) => {
      const allUp = await status(paths(), { json: options.json === true });
      setExitCode(allUp ? ExitCode.OK : ExitCode.NOT_ALL_RUNNING);
    });

  program
    .command('clean')
    .description('down, then remove .veriscan/fabric (state, logs, ledgers); .veriscan/crypto stays')
    .action(async () => {
      await clean(paths());
    });

  program
    .command('stop-node')
    .description('stop one process, e.g. orderer1 or peer0.lab-1 (failover tests); `up` restarts it')
    .argument('[name]', 'the process, as `status` lists it')
    .action(async (name: string | undefined) => {
      if (name === undefined)
        throw new FabricNetworkError('INVALID_OPTION', 'stop-node needs a process name, e.g. orderer1');
      await stopNode(paths(), name);
    });

  topologyOptions(
    program
      .command('compose-genesis')
      .description(
        "for docker-compose.yaml: write .veriscan/compose/ (genesis block with the containers' host names, chaincode packages and TLS files, compose.env with the package ids, network.json); see docs/deploy.md",
      ),
  )
    // Accepted as before; compose-genesis builds nothing.
    .addOption(new Option('--no-build').hideHelp())
    .action(async (options: TopologyOptions) => {
      await composeGenesis(paths(), topologyFromOptions(options), log);
    });

  program
    .command('compose-file')
    .description('regenerate docker-compose.yaml from the consortium table (commit the result)')
    .action(() => {
      const file = join(paths().root, 'docker-compose.yaml');
      writeFileSync(file, renderComposeFile());
      log(`wrote ${file}`);
    });

  // The program's own help is the usage above; each command keeps commander's generated help.
  program.configureHelp({ formatHelp: () => `${USAGE}\n` });
  return program;
}

/** Runs the CLI on `argv` (without node and the script) and resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return ExitCode.USAGE;
  }
  let exitCode: number = ExitCode.OK;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // commander has printed its message (or the help); an unknown command also gets the usage.
    if (error.code === 'commander.unknownCommand') process.stderr.write(`\n${USAGE}\n`);
    return error.exitCode;
  }
  return exitCode;
}

/** The line the CLI prints for an error: the missing-binaries guide as it is, anything else as an error. */
export function errorLine(error: unknown): string {
  const missingBinaries = error instanceof FabricNetworkError && error.code === 'MISSING_BINARIES';
  return `fabric: ${missingBinaries ? '' : 'error: '}${messageOf(error)}\n`;
}

if (require.main === module) {
  // `status | head` closes the pipe early: not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });

  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(errorLine(error));
      process.exitCode = ExitCode.ERROR;
    },
  );
}
