/** Identities, contract instances and multi-step set-ups shared by the chaincode unit tests. */
import './quiet-logs';
import { expect } from 'chai';
import {
  BatchLog,
  buildBatch,
  buildReceipt,
  buildTrace,
  commitScan,
  hashOutput,
  outputCommitment,
  type QuantisedOutput,
  type Receipt,
  parseSalt,
  parseSha256Hex,
  traceHash,
  type Salt,
  type Sha256Hex,
} from '@veriscan/protocol';
import { ConfigContract } from '../../../../chaincode/src/contracts/config-contract';
import { GovernanceContract } from '../../../../chaincode/src/contracts/governance-contract';
import { MembershipContract } from '../../../../chaincode/src/contracts/membership-contract';
import { ModelsContract } from '../../../../chaincode/src/contracts/models-contract';
import { ReputationContract } from '../../../../chaincode/src/contracts/reputation-contract';
import { RequestsContract } from '../../../../chaincode/src/contracts/requests-contract';
import { SchedulerContract } from '../../../../chaincode/src/contracts/scheduler-contract';
import { TestLedger, type TestIdentity } from './test-ledger';

function user(mspId: string, job: string, name: string): TestIdentity {
  return { mspId, attributes: { 'veriscan.job': job }, name };
}

/** The demo consortium's callers: each institution its own org, users told apart by their job. */
export const id = {
  hospitalA: user('HospitalAMSP', 'clinician', 'hospital-a'),
  hospitalB: user('HospitalBMSP', 'clinician', 'hospital-b'),
  lab1: user('Lab1MSP', 'operator', 'lab-1'),
  lab2: user('Lab2MSP', 'operator', 'lab-2'),
  regulator: user('Regulator1MSP', 'auditor', 'regulator-1'),
  /** hospital-a's admin. */
  hospitalAdmin: user('HospitalAMSP', 'admin', 'hospital-a-admin'),
  hospitalBAdmin: user('HospitalBMSP', 'admin', 'hospital-b-admin'),
  /** lab-1's admin. */
  labAdmin: user('Lab1MSP', 'admin', 'lab-1-admin'),
  lab2Admin: user('Lab2MSP', 'admin', 'lab-2-admin'),
  regulatorAdmin: user('Regulator1MSP', 'admin', 'regulator-1-admin'),
  /** A hospital-a certificate without a job. */
  anonymous: { mspId: 'HospitalAMSP', attributes: {}, name: 'nobody' },
  /** An admin of an org that is not (yet) a member. */
  outsiderAdmin: user('HospitalCMSP', 'admin', 'hospital-c-admin'),
  /** A lab's job on hospital-a's certificate: still hospital-a, and a hospital has no operators. */
  fakeLab: user('HospitalAMSP', 'operator', 'lab-1'),
} as const satisfies Record<string, TestIdentity>;

/** The admins of the voting institutions, in table order. */
export const VOTER_ADMINS: readonly TestIdentity[] = [
  id.hospitalAdmin,
  id.hospitalBAdmin,
  id.labAdmin,
  id.lab2Admin,
];

/** The real contract classes. */
export const cc = {
  config: new ConfigContract(),
  membership: new MembershipContract(),
  models: new ModelsContract(),
  requests: new RequestsContract(),
  scheduler: new SchedulerContract(),
  reputation: new ReputationContract(),
  governance: new GovernanceContract(),
};

/** The Bootstrap argument for the demo members. */
export const DEMO_MEMBERS = JSON.stringify({
  members: [
    {
      memberId: 'hospital-a',
      mspId: 'HospitalAMSP',
      role: 'hospital',
      endpoint: 'http://127.0.0.1:7101/blobs',
    },
    {
      memberId: 'hospital-b',
      mspId: 'HospitalBMSP',
      role: 'hospital',
      endpoint: 'http://127.0.0.1:7102/blobs',
    },
    { memberId: 'lab-1', mspId: 'Lab1MSP', role: 'lab' },
    { memberId: 'lab-2', mspId: 'Lab2MSP', role: 'lab' },
    { memberId: 'regulator-1', mspId: 'Regulator1MSP', role: 'regulator' },
  ],
});

/** A syntactically valid ONNX digest; no file stands behind it in unit tests. */
export const MODEL_HASH: Sha256Hex = parseSha256Hex('a'.repeat(64), 'MODEL_HASH');

/** A model spec as a lab proposes it. */
export function modelSpec(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    modelId: 'brain-tissue',
    version: '1.0.0',
    onnxSha256: MODEL_HASH,
    input: { width: 4, height: 4, channels: 1, normalisation: { mode: 'min-max' } },
    output: { kind: 'mask', classes: ['background', 'grey', 'white', 'csf'] },
    licence: 'CC-BY-4.0',
    description: 'unit-test model',
    ...overrides,
  });
}

/** Asserts that `promise` rejects with a chaincode error of `code`; returns the message. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(Error);
    const message = error instanceof Error ? error.message : '';
    expect(message, message).to.match(new RegExp(`^${code}: `));
    return message;
  }
  expect.fail(`expected ${code}, but the call succeeded`);
}

/** A ledger with the demo members bootstrapped. */
export async function withMembers(): Promise<TestLedger> {
  const ledger = new TestLedger();
  for (const admin of VOTER_ADMINS) {
    await ledger.submit(admin, (ctx) => cc.membership.Bootstrap(ctx, DEMO_MEMBERS));
  }
  return ledger;
}

/** The parsed proposal a Propose or Vote answered. */
export interface ProposalAnswer {
  readonly proposalId: string;
  readonly status: string;
  readonly outcome: string;
  readonly required: number;
  readonly electorate: readonly string[];
}

/**
 * Opens a proposal as `proposer` and has the other voting admins approve it until it is decided;
 * returns the final record.
 */
export async function govern(
  ledger: TestLedger,
  body: Record<string, unknown>,
  proposer: TestIdentity = id.hospitalAdmin,
): Promise<ProposalAnswer> {
  const opened = await ledger.submit(proposer, (ctx) => cc.governance.Propose(ctx, JSON.stringify(body)));
  let proposal = JSON.parse(opened.result) as ProposalAnswer;
  for (const voter of VOTER_ADMINS) {
    if (proposal.status !== 'open') break;
    if (voter === proposer || !proposal.electorate.includes(voter.name.replace(/-admin$/, ''))) continue;
    const voted = await ledger.submit(voter, (ctx) =>
      cc.governance.Vote(ctx, proposal.proposalId, 'approve'),
    );
    proposal = JSON.parse(voted.result) as ProposalAnswer;
  }
  return proposal;
}

/** Proposes (by lab-1) and approves (hospital-a's, lab-1's and hospital-b's admins: 3 of 4) a model version. */
export async function approveModel(
  ledger: TestLedger,
  overrides: Record<string, unknown> = {},
): Promise<void> {
  const spec = JSON.parse(modelSpec(overrides)) as { modelId: string; version: string };
  await ledger.submit(id.lab1, (ctx) => cc.models.ProposeModel(ctx, modelSpec(overrides)));
  await ledger.submit(id.hospitalAdmin, (ctx) => cc.models.ApproveModel(ctx, spec.modelId, spec.version));
  await ledger.submit(id.labAdmin, (ctx) => cc.models.ApproveModel(ctx, spec.modelId, spec.version));
  await ledger.submit(id.hospitalBAdmin, (ctx) => cc.models.ApproveModel(ctx, spec.modelId, spec.version));
}

/** Members, an approved model, and both labs serving it: ready for requests. */
export async function readyLedger(
  options: { readonly labs?: readonly TestIdentity[] } = {},
): Promise<TestLedger> {
  const ledger = await withMembers();
  await approveModel(ledger);
  for (const lab of options.labs ?? [id.lab1, id.lab2]) {
    await ledger.submit(lab, (ctx) => cc.scheduler.DeclareCapacity(ctx, 'brain-tissue@1.0.0', '4'));
  }
  return ledger;
}

/** Changes configuration fields through an approved `config` proposal. */
export async function setConfig(ledger: TestLedger, patch: Record<string, unknown>): Promise<void> {
  const proposal = await govern(ledger, { kind: 'config', patch });
  expect(proposal.status, proposal.outcome).to.equal('approved');
}

const PIXELS = Uint8Array.from({ length: 16 }, (_, i) => i * 16);

/** A deterministic salt per request id (tests only: real salts are random). */
function saltFor(requestId: string): Salt {
  return parseSalt(Buffer.from(requestId.padEnd(32, '#').slice(0, 32), 'utf8').toString('hex'), 'salt');
}

const IMAGE = { width: 4, height: 4, channels: 1, bitDepth: 8, data: PIXELS } as const;

/** The RequestInference argument for a request over the fixture scan. */
export function requestArg(requestId: string, overrides: Record<string, unknown> = {}): string {
  const scan = commitScan(IMAGE, saltFor(requestId), 2);
  return JSON.stringify({
    requestId,
    scanCommitment: scan.scanCommitment,
    tileRootCommitment: scan.tileRootCommitment,
    modelRef: 'brain-tissue@1.0.0',
    priority: 'routine',
    ...overrides,
  });
}

/** A trace and a receipt for `requestId` by `lab`; `variant` changes the output (a dishonest or broken run). */
export function resultFor(
  requestId: string,
  lab: string,
  options: { readonly variant?: number; readonly modelHash?: Sha256Hex; readonly latencyMs?: number } = {},
): {
  readonly trace: string;
  readonly receipt: string;
  readonly receiptValue: ReturnType<typeof buildReceipt>;
} {
  const salt = saltFor(requestId);
  const output: QuantisedOutput = {
    mask: {
      width: 4,
      height: 4,
      classes: 4,
      data: Uint8Array.from({ length: 16 }, (_, i) => (i + (options.variant ?? 0)) % 4),
    },
    scoresE4: [],
  };
  const trace = buildTrace({
    image: IMAGE,
    salt,
    tileSize: 2,
    preprocess: {
      params: { mode: 'min-max' },
      tensor: { shape: [1, 1, 4, 4], data: Float32Array.from(PIXELS, (v) => v / 255) },
    },
    model: { id: 'brain-tissue', version: '1.0.0', hash: options.modelHash ?? MODEL_HASH },
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
      preprocessor: 'unit-test',
    },
  });
  const receipt = buildReceipt({
    requestId,
    lab,
    model: { id: 'brain-tissue', version: '1.0.0' },
    traceHash: traceHash(trace),
    outputCommitment: outputCommitment(salt, hashOutput(output)),
    latencyMs: options.latencyMs ?? 1000,
    completedAt: '2025-01-01T00:00:01.000Z',
  });
  return { trace: JSON.stringify(trace), receipt: JSON.stringify(receipt), receiptValue: receipt };
}

/** The identity of a demo lab by id. */
export function labIdentity(labId: unknown): TestIdentity {
  if (labId === 'lab-1') return id.lab1;
  if (labId === 'lab-2') return id.lab2;
  throw new Error(`not a demo lab: ${String(labId)}`);
}

/** The other demo lab. */
export function otherLab(labId: unknown): TestIdentity {
  return labId === 'lab-1' ? id.lab2 : id.lab1;
}

/** Submits a request as hospital-a and returns the assigned lab's id. */
export async function requestAs(
  ledger: TestLedger,
  requestId: string,
  hospital: TestIdentity = id.hospitalA,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const { result } = await ledger.submit(hospital, (ctx) =>
    cc.requests.RequestInference(ctx, requestArg(requestId, overrides)),
  );
  const parsed: unknown = JSON.parse(result);
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('assignedLab' in parsed) ||
    typeof parsed.assignedLab !== 'string'
  ) {
    throw new Error('request was not assigned');
  }
  return parsed.assignedLab;
}

/** The AnchorBatch argument for `receipts` as the next batch of `log`. */
export function batchArg(log: BatchLog, receipts: readonly Receipt[]): string {
  const first = receipts[0];
  if (first === undefined) throw new Error('a batch needs receipts');
  const batch = buildBatch({ lab: first.lab, sequence: log.size, receipts });
  const { anchor, proof } = log.append(batch);
  return JSON.stringify({ anchor, logProof: proof, receipts });
}
