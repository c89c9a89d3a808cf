/**
 * `npm run consortium -- add-org <key> --kind hospital|lab`: what fabric-samples' test-network
 * `addOrg3` does, in one command, on the running network (the devnet, or real Fabric with
 * VERISCAN_NETWORK=fabric):
 * 1. crypto material for the new institution (its own CA, TLS CA, peer, admin and user), generated as
 *    that institution would generate it for itself;
 * 2. a channel configuration update adding its org (its verifying MSP and policies, as configtxgen
 *    `-printOrg` writes them), signed by a majority of the existing orgs' admins and broadcast to the
 *    orderer; the command waits for the config block;
 * 3. the org recorded as part of this machine's network, its peer started and joined, its chaincode
 *    server started and (on Fabric) the chaincode installed and approved for it, by the network's own
 *    `up` (and `deploy` on the devnet);
 * 4. its membership proposed on the ledger (`admit`) and voted by the founders until decided.
 * Every step is skipped when already done, so an interrupted run can be repeated.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import {
  CHAINCODE_NAME,
  DEFAULT_ADMIN,
  PEER_ORGS,
  adminMemberId,
  allPeerOrgs,
  applicationOrgNames,
  describeApplicationOrg,
  encodeApplicationOrgGroup,
  fileSystemMaterial,
  generateOrgMaterial,
  institutionSpec,
  nextOrgSlot,
  readAddedOrgs,
  readChannelConfig,
  readNetworkProfile,
  recordAddedOrg,
  submitConfigUpdate,
  veriscanPaths,
  withApplicationOrg,
  type MemberRole,
  type NetworkProfile,
  type PeerOrgSpec,
} from '@veriscan/fabric-kit';
import { loadConfig as loadDevnetConfig } from '@veriscan/devnet';
import { Admins, SetupError, govern } from './setup-consortium';

const repoRoot = join(__dirname, '..');

/** Which network the command acts on. */
export type NetworkKind = 'devnet' | 'fabric';

/** What {@link addOrg} needs. */
export interface AddOrgOptions {
  readonly key: string;
  readonly kind: Extract<MemberRole, 'hospital' | 'lab'>;
  readonly network: NetworkKind;
  readonly log: (line: string) => void;
}

/** What {@link addOrg} did. */
export interface AddOrgReport {
  readonly org: PeerOrgSpec;
  readonly steps: readonly string[];
}

function networkCli(network: NetworkKind): string {
  return network === 'fabric'
    ? join(repoRoot, 'network', 'fabric', 'dist', 'cli.js')
    : join(repoRoot, 'network', 'devnet', 'dist', 'cli', 'main.js');
}

function runNetworkCli(network: NetworkKind, args: readonly string[], log: (line: string) => void): void {
  const output = execFileSync(process.execPath, [networkCli(network), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const line of output.split('\n')) if (line.trim() !== '') log(`  ${line}`);
}

/** The peer address a joining org's anchor peer is reached at on `network`. */
function anchorPort(network: NetworkKind, org: PeerOrgSpec): number {
  if (network === 'fabric') return org.ports.fabricPeer;
  const config = loadDevnetConfig();
  return config.orderer.port + org.ports.devnetOffset;
}

/**
 * The admins that sign the update: a majority of the application orgs on the channel
 * (`/Channel/Application/Admins` is `MAJORITY Admins`), taken in consortium order.
 */
function updateSigners(current: readonly PeerOrgSpec[], orgNames: readonly string[]): string[] {
  const onChannel = current.filter((o) => orgNames.includes(o.orgName));
  const needed = Math.floor(orgNames.length / 2) + 1;
  if (onChannel.length < needed)
    throw new SetupError(
      'MEMBER_STATE',
      `only ${onChannel.length} of the ${needed} admins needed are known here`,
    );
  return onChannel.slice(0, needed).map((o) => adminMemberId(o));
}

/** Adds a hospital or lab to the running network and the consortium; see the module comment. */
export async function addOrg(options: AddOrgOptions): Promise<AddOrgReport> {
  const { key, kind, network, log } = options;
  const paths = veriscanPaths();
  const steps: string[] = [];
  const step = (line: string): void => {
    steps.push(line);
    log(line);
  };
  if (PEER_ORGS.some((o) => o.key === key))
    throw new SetupError('INVALID_ARGUMENT', `${key} is a founding member already`);
  const recorded = readAddedOrgs(paths.stateDir).find((o) => o.key === key);
  if (recorded !== undefined && recorded.memberRole !== kind)
    throw new SetupError('INVALID_ARGUMENT', `${key} was added as a ${recorded.memberRole}, not a ${kind}`);
  const slot = recorded?.slot ?? nextOrgSlot(paths.stateDir);
  const org = institutionSpec(key, kind, slot);

  log(`[1/4] crypto material for ${key} (${org.mspId})`);
  const material = await generateOrgMaterial(paths.cryptoDir, org);
  step(
    material.generated
      ? `generated ${material.org.orgDir}`
      : `crypto material already in ${material.org.orgDir}`,
  );

  log(`[2/4] channel configuration update adding ${org.orgName}`);
  let profile: NetworkProfile = readNetworkProfile(paths.profileFile);
  const reader = DEFAULT_ADMIN;
  const before = await readChannelConfig(profile, reader);
  const orgNames = applicationOrgNames(before);
  if (orgNames.includes(org.orgName)) {
    step(`${org.orgName} is already in the channel configuration`);
  } else {
    const group = encodeApplicationOrgGroup(
      describeApplicationOrg(org, {
        mspDir: material.org.mspDir,
        anchorPeers: [{ host: '127.0.0.1', port: anchorPort(network, org) }],
      }),
      fileSystemMaterial(),
    );
    const signers = updateSigners(allPeerOrgs(paths.stateDir), orgNames);
    const answer = await submitConfigUpdate(
      profile,
      before,
      withApplicationOrg(before, org.orgName, group),
      signers,
      reader,
    );
    if (answer.status !== 200)
      throw new SetupError(
        'MEMBER_STATE',
        `the orderer refused the update (${answer.status}): ${answer.info}`,
      );
    step(`configuration update signed by ${signers.join(', ')} accepted by the orderer`);
    const deadline = Date.now() + 30_000;
    while (!applicationOrgNames(await readChannelConfig(profile, reader)).includes(org.orgName)) {
      if (Date.now() > deadline)
        throw new SetupError('MEMBER_STATE', 'the config block did not arrive in 30 s');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    step(`config block committed: ${org.orgName} is on the channel`);
  }

  log(`[3/4] ${key}'s peer and chaincode server`);
  recordAddedOrg(paths.stateDir, { key, memberRole: kind, slot });
  runNetworkCli(network, ['up'], log);
  if (network === 'devnet') {
    const cc = loadDevnetConfig().veriscanChaincode;
    runNetworkCli(
      network,
      ['deploy', '--name', CHAINCODE_NAME, '--path', cc.path, '--policy', cc.policy],
      log,
    );
  }
  profile = readNetworkProfile(paths.profileFile);
  if (profile.identities[adminMemberId(org)] === undefined)
    throw new SetupError('MEMBER_STATE', `the connection profile has no ${adminMemberId(org)} after up`);
  step(`peer and chaincode server of ${key} running; profile updated`);

  log(`[4/4] admission of ${key} by the consortium's vote`);
  const admins = new Admins(profile);
  try {
    const members = (await admins.ledger(DEFAULT_ADMIN).listMembers()).members;
    const existing = members.find((m) => m.memberId === key);
    if (existing !== undefined) {
      step(`${key} is already a member (${existing.status})`);
    } else {
      const actions: string[] = [];
      await govern(
        admins,
        key,
        { kind: 'admit', memberId: key, mspId: org.mspId, role: kind, endpoint: '' },
        actions,
        () => undefined,
      );
      for (const action of actions) step(action);
      step(`${key} admitted`);
    }
  } finally {
    admins.close();
  }
  return { org, steps };
}

function parseKind(value: string): 'hospital' | 'lab' {
  if (value !== 'hospital' && value !== 'lab') throw new InvalidArgumentError('must be hospital or lab');
  return value;
}

function parseNetwork(value: string | undefined): NetworkKind {
  return value === 'fabric' ? 'fabric' : 'devnet';
}

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('consortium')
    .description(
      'Manage the consortium of the running network (the devnet, or real Fabric with VERISCAN_NETWORK=fabric)',
    )
    .exitOverride();
  program
    .command('add-org')
    .argument('<key>', 'the institution key, a lowercase slug such as hospital-c (MSP id HospitalCMSP)')
    .requiredOption('--kind <kind>', 'hospital or lab', parseKind)
    .description(
      'add an institution: its crypto material, a channel configuration update signed by a majority of ' +
        'the org admins, its peer and chaincode server, and its admission voted on the ledger',
    )
    .action(async (key: string, opts: { kind: 'hospital' | 'lab' }) => {
      const network = parseNetwork(process.env.VERISCAN_NETWORK);
      const report = await addOrg({
        key,
        kind: opts.kind,
        network,
        log: (line) => void process.stdout.write(`${line}\n`),
      });
      process.stdout.write(`added ${report.org.key} (${report.org.mspId}) to the ${network} network\n`);
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof Error && 'exitCode' in error && typeof error.exitCode === 'number')
      return error.exitCode;
    process.stderr.write(`consortium: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
