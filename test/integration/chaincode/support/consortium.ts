/**
 * What the chaincode integration tests share: one fabric-gateway connection per demo identity, a
 * per-run model that both labs serve, protocol-built requests and results, and parsers for the
 * chaincode's JSON answers. Ids carry a random run suffix so the suite can run again and again on
 * one ledger.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Contract, Network, Status } from '@hyperledger/fabric-gateway';
import {
  buildReceipt,
  buildTrace,
  commitScan,
  hashOutput,
  newSalt,
  outputCommitment,
  toSha256Hex,
  traceHash,
  type PixelImage,
  type QuantisedOutput,
  type Receipt,
  type Salt,
  type Sha256Hex,
} from '@veriscan/protocol';
import { connectGateway, type GatewayConnection } from '@veriscan/fabric-kit';
import { profile, submitEverywhere } from '../../support/network';
import { LedgerErrorCode, Tx, parseChaincodeError, toLedgerError } from '@veriscan/ledger-api';

export const CHAINCODE = 'veriscan';

/** The demo identities of the connection profile. */
export type Identity =
  | 'hospital-a'
  | 'hospital-b'
  | 'lab-1'
  | 'lab-2'
  | 'regulator-1'
  | 'hospital-a-admin'
  | 'hospital-b-admin'
  | 'lab-1-admin'
  | 'lab-2-admin'
  | 'regulator-1-admin';

/** One identity per institution's peer: waiting on these waits on every peer of the network. */
export const EVERY_PEER = ['hospital-a', 'hospital-b', 'lab-1', 'lab-2', 'regulator-1'] as const;

/** The admins of the voting institutions (hospitals and labs), in table order. */
export const VOTER_ADMINS = ['hospital-a-admin', 'hospital-b-admin', 'lab-1-admin', 'lab-2-admin'] as const;

/** One connection per identity, opened on first use; `close()` ends them all. */
export class Clients {
  readonly #open = new Map<Identity, GatewayConnection>();

  network(identity: Identity): Network {
    let connection = this.#open.get(identity);
    if (connection === undefined) {
      connection = connectGateway(profile(), identity);
      this.#open.set(identity, connection);
    }
    return connection.gateway.getNetwork(profile().channel);
  }

  contract(identity: Identity): Contract {
    return this.network(identity).getContract(CHAINCODE);
  }

  close(): void {
    for (const connection of this.#open.values()) connection.close();
    this.#open.clear();
  }
}

/** A random lowercase hex suffix for this run's ids. */
export function runSuffix(): string {
  return randomBytes(4).toString('hex');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON object a transaction returned or an event carried. @throws Error if it is not one. */
export function parseObjectBytes(bytes: Uint8Array): Readonly<Record<string, unknown>> {
  const value: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  if (!isRecord(value)) throw new Error('expected a JSON object');
  return value;
}

/** A string field of a chaincode answer. @throws Error if it is missing. */
export function stringField(record: Readonly<Record<string, unknown>>, field: string): string {
  const value = record[field];
  if (typeof value !== 'string') throw new Error(`expected string field ${field}`);
  return value;
}

/** A number field of a chaincode answer. @throws Error if it is missing. */
export function numberField(record: Readonly<Record<string, unknown>>, field: string): number {
  const value = record[field];
  if (typeof value !== 'number') throw new Error(`expected number field ${field}`);
  return value;
}

/** An array field of a chaincode answer whose items are objects. @throws Error otherwise. */
export function objectsField(
  record: Readonly<Record<string, unknown>>,
  field: string,
): readonly Readonly<Record<string, unknown>>[] {
  const value = record[field];
  if (!Array.isArray(value) || !value.every(isRecord))
    throw new Error(`expected an array of objects in ${field}`);
  return value;
}

/**
 * Resolves once the peers the `identities` connect to have committed block `number` (their Deliver
 * service hands it out only then). Peers commit a block independently, visibly so on SmartBFT: a read
 * through one peer right after a commit on another may not see it yet.
 */
export async function committedOnPeers(
  clients: Clients,
  identities: readonly Identity[],
  number: bigint,
): Promise<void> {
  await Promise.all(
    identities.map(async (identity) => {
      const blocks = await clients.network(identity).getFilteredBlockEvents({ startBlock: number });
      try {
        for await (const block of blocks) if (block.getNumber() >= number) break;
      } finally {
        blocks.close();
      }
    }),
  );
}

/** The error a promise rejected with, or a test failure if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return expect.fail('expected the call to be refused, but it succeeded');
}

/** Asserts that `promise` is refused by the chaincode with `code` (`FORBIDDEN`, `NOT_FOUND`, …). */
export async function expectChaincodeCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await rejectionOf(promise);
  expect(parseChaincodeError(error)?.code, error instanceof Error ? error.message : String(error)).to.equal(
    code,
  );
}

/** The per-run model: a lab proposes it, a majority of the voting institutions approves it, both labs serve it. */
export interface TestModel {
  readonly id: string;
  readonly version: string;
  readonly hash: Sha256Hex;
  readonly ref: string;
}

/** Proposes, approves and declares capacity for a fresh model version; returns it. */
export async function setUpModel(clients: Clients, suffix: string): Promise<TestModel> {
  const model: TestModel = {
    id: `it-model-${suffix}`,
    version: '1.0.0',
    hash: toSha256Hex(randomBytes(32)),
    ref: `it-model-${suffix}@1.0.0`,
  };
  const spec = JSON.stringify({
    modelId: model.id,
    version: model.version,
    onnxSha256: model.hash,
    input: { width: 4, height: 4, channels: 1, normalisation: { mode: 'min-max' } },
    output: { kind: 'mask', classes: ['background', 'grey', 'white', 'csf'] },
    licence: 'CC-BY-4.0',
    description: 'integration-test model (no file behind the hash)',
  });
  // Each admin reads through its own institution's peer: each step waits until every peer has the last.
  await submitEverywhere(clients.contract('lab-1'), Tx.ProposeModel, spec);
  // 3 of the 4 hospitals' and labs' admins: the default modelApprovalPerMille (a strict majority).
  for (const admin of ['hospital-a-admin', 'hospital-b-admin', 'lab-2-admin'] as const)
    await submitEverywhere(clients.contract(admin), Tx.ApproveModel, model.id, model.version);
  await Promise.all(
    (['lab-1', 'lab-2'] as const).map((lab) =>
      clients.contract(lab).submitTransaction(Tx.DeclareCapacity, model.ref, '4'),
    ),
  );
  return model;
}

/** A hospital's side of one request: the scan, its fresh salt and the RequestInference argument. */
export interface TestScan {
  readonly requestId: string;
  readonly image: PixelImage;
  readonly salt: Salt;
  readonly scanCommitment: Sha256Hex;
  readonly tileRootCommitment: Sha256Hex;
  /** JSON for `Requests:RequestInference`. */
  readonly argument: string;
}

const TILE_SIZE = 2;

/** A random 4×4 8-bit scan with a fresh salt, committed as the protocol specifies. */
export function newScan(requestId: string, model: TestModel): TestScan {
  const image: PixelImage = {
    width: 4,
    height: 4,
    channels: 1,
    bitDepth: 8,
    data: Uint8Array.from(randomBytes(16)),
  };
  const salt = newSalt((size) => randomBytes(size));
  const { scanCommitment, tileRootCommitment } = commitScan(image, salt, TILE_SIZE);
  const argument = JSON.stringify({
    requestId,
    scanCommitment,
    tileRootCommitment,
    modelRef: model.ref,
    priority: 'routine',
  });
  return { requestId, image, salt, scanCommitment, tileRootCommitment, argument };
}

/** A lab's result for `scan`: the trace and the receipt naming `lab`, as `SubmitResult` arguments. */
export interface TestResult {
  readonly trace: string;
  readonly receipt: string;
  readonly traceHash: Sha256Hex;
  readonly receiptValue: Receipt;
}

/** Builds the pixel trace and receipt `lab` would submit after running `model` on `scan`. */
export function resultFor(scan: TestScan, lab: string, model: TestModel): TestResult {
  const output: QuantisedOutput = {
    mask: { width: 4, height: 4, classes: 4, data: Uint8Array.from(scan.image.data, (v) => v % 4) },
    scoresE4: [],
  };
  const trace = buildTrace({
    image: scan.image,
    salt: scan.salt,
    tileSize: TILE_SIZE,
    preprocess: {
      params: { mode: 'min-max' },
      tensor: { shape: [1, 1, 4, 4], data: Float32Array.from(scan.image.data, (v) => v / 255) },
    },
    model: { id: model.id, version: model.version, hash: model.hash },
    output,
    profile: {
      onnxruntimeVersion: '1.20.1',
      executionProvider: 'cpu',
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      intraOpThreads: 1,
      interOpThreads: 1,
      cpuArch: 'x64',
      instructionSet: 'avx2',
      preprocessor: 'integration-test',
    },
  });
  const hash = traceHash(trace);
  const receipt = buildReceipt({
    requestId: scan.requestId,
    lab,
    model: { id: model.id, version: model.version },
    traceHash: hash,
    outputCommitment: outputCommitment(scan.salt, hashOutput(output)),
    latencyMs: 50,
    completedAt: new Date().toISOString(),
  });
  return {
    trace: JSON.stringify(trace),
    receipt: JSON.stringify(receipt),
    traceHash: hash,
    receiptValue: receipt,
  };
}

/**
 * Endorses `tx` once and hands the signed envelope to the orderers, again (with the same transaction
 * id, so it can never commit twice) when they answer UNAVAILABLE, as a client does, backing off
 * 250 ms, 500 ms, 1 s, 2 s, then 4 s twice: SmartBFT under load (five peers, four orderers on two
 * cores) can miss its quorum for seconds. `onResubmit` counts the repeats. Resolves with the commit status and the
 * chaincode's answer.
 */
export async function submitOnce(
  contract: Contract,
  tx: string,
  args: readonly string[],
  onResubmit: () => void = () => undefined,
): Promise<{ readonly status: Status; readonly result: Uint8Array }> {
  const transaction = await contract.newProposal(tx, { arguments: [...args] }).endorse();
  for (let attempt = 1; ; attempt++) {
    try {
      const status = await (await transaction.submit()).getStatus();
      return { status, result: transaction.getResult() };
    } catch (error) {
      if (toLedgerError(error, tx).code !== LedgerErrorCode.UNAVAILABLE || attempt >= 7) throw error;
      onResubmit();
      await new Promise((resolve) => setTimeout(resolve, Math.min(4000, 250 * 2 ** (attempt - 1))));
    }
  }
}

/** Submits `scan` as `hospital`; returns the stored request record (with its `assignedLab`). */
export async function requestInference(
  clients: Clients,
  hospital: Identity,
  scan: TestScan,
  options: Readonly<{ waitEverywhere?: boolean }> = {},
): Promise<Readonly<Record<string, unknown>>> {
  const { status, result } = await submitOnce(clients.contract(hospital), Tx.RequestInference, [
    scan.argument,
  ]);
  if (!status.successful)
    throw new Error(`RequestInference ${status.transactionId} invalidated (${status.code})`);
  // The assigned lab endorses through its own peer and others: each must hold the request (peers
  // commit a block on their own schedule, visibly so on SmartBFT).
  if (options.waitEverywhere ?? true) await committedOnPeers(clients, EVERY_PEER, status.blockNumber);
  return parseObjectBytes(result);
}

/** The assigned lab of a request record, as an identity of the profile. */
export function assignedLab(request: Readonly<Record<string, unknown>>): 'lab-1' | 'lab-2' {
  const lab = request.assignedLab;
  if (lab !== 'lab-1' && lab !== 'lab-2')
    throw new Error(`request assigned to ${String(lab)}, not a demo lab`);
  return lab;
}

/** The other demo lab. */
export function otherLab(lab: 'lab-1' | 'lab-2'): 'lab-1' | 'lab-2' {
  return lab === 'lab-1' ? 'lab-2' : 'lab-1';
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      if (item === undefined) continue;
      results[index] = await task(item, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A proposal as Propose and Vote answer it (the fields the tests read). */
export interface ProposalState {
  readonly proposalId: string;
  readonly status: string;
  readonly outcome: string;
  readonly required: number;
  readonly electorate: readonly string[];
}

function proposalState(bytes: Uint8Array): ProposalState {
  const record = parseObjectBytes(bytes);
  const electorate = record.electorate;
  if (!Array.isArray(electorate) || !electorate.every((m): m is string => typeof m === 'string'))
    throw new Error('expected an electorate');
  return {
    proposalId: stringField(record, 'proposalId'),
    status: stringField(record, 'status'),
    outcome: stringField(record, 'outcome'),
    required: numberField(record, 'required'),
    electorate,
  };
}

/** Opens a proposal as `proposer` (an admin identity); resolves once every peer committed it. */
export async function propose(
  clients: Clients,
  proposer: Identity,
  body: Readonly<Record<string, unknown>>,
): Promise<ProposalState> {
  return proposalState(await submitEverywhere(clients.contract(proposer), Tx.Propose, JSON.stringify(body)));
}

/** One institution's vote; resolves once every peer committed it. */
export async function vote(
  clients: Clients,
  voter: Identity,
  proposalId: string,
  approve: boolean,
): Promise<ProposalState> {
  return proposalState(
    await submitEverywhere(clients.contract(voter), Tx.Vote, proposalId, approve ? 'approve' : 'reject'),
  );
}

/** Opens a proposal and has the other voting admins approve it until it is decided. */
export async function govern(
  clients: Clients,
  proposer: (typeof VOTER_ADMINS)[number],
  body: Readonly<Record<string, unknown>>,
): Promise<ProposalState> {
  let state = await propose(clients, proposer, body);
  for (const voter of VOTER_ADMINS) {
    if (state.status !== 'open') break;
    if (voter === proposer || !state.electorate.includes(voter.replace(/-admin$/, ''))) continue;
    state = await vote(clients, voter, state.proposalId, true);
  }
  return state;
}
