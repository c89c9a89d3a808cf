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
import { MembershipContract } from '../../../../chaincode/src/contracts/membership-contract';
import { ModelsContract } from '../../../../chaincode/src/contracts/models-contract';
import { ReputationContract } from '../../../../chaincode/src/contracts/reputation-contract';
import { RequestsContract } from '../../../../chaincode/src/contracts/requests-contract';
import { SchedulerContract } from '../../../../chaincode/src/contracts/scheduler-contract';
import { TestLedger, type TestIdentity } from './test-ledger';

function member(mspId: string, role: string, memberId: string): TestIdentity {
  return { mspId, attributes: { 'veriscan.role': role, 'veriscan.member': memberId }, name: memberId };
}

/** The demo consortium's callers. */
export const id = {
  hospitalA: member('HospitalMSP', 'hospital', 'hospital-a'),
  hospitalB: member('HospitalMSP', 'hospital', 'hospital-b'),
  lab1: member('LabMSP', 'lab', 'lab-1'),
  lab2: member('LabMSP', 'lab', 'lab-2'),
  regulator: member('RegulatorMSP', 'regulator', 'regulator-1'),
  hospitalAdmin: { mspId: 'HospitalMSP', attributes: { 'veriscan.role': 'admin' }, name: 'hospital-admin' },
  labAdmin: { mspId: 'LabMSP', attributes: { 'veriscan.role': 'admin' }, name: 'lab-admin' },
  regulatorAdmin: {
    mspId: 'RegulatorMSP',
    attributes: { 'veriscan.role': 'admin' },
    name: 'regulator-admin',
  },
  /** A HospitalMSP certificate without Veriscan attributes. */
  anonymous: { mspId: 'HospitalMSP', attributes: {}, name: 'nobody' },
  /** A lab attribute on a HospitalMSP certificate: not a lab. */
  fakeLab: member('HospitalMSP', 'lab', 'lab-1'),
} as const satisfies Record<string, TestIdentity>;

/** The real contract classes. */
export const cc = {
  config: new ConfigContract(),
  membership: new MembershipContract(),
  models: new ModelsContract(),
  requests: new RequestsContract(),
  scheduler: new SchedulerContract(),
  reputation: new ReputationContract(),
};

/** The Bootstrap argument for the demo members. */
export const DEMO_MEMBERS = JSON.stringify({
  members: [
    { memberId: 'hospital-a', role: 'hospital', endpoint: 'http://127.0.0.1:7101/blobs' },
    { memberId: 'hospital-b', role: 'hospital', endpoint: 'http://127.0.0.1:7102/blobs' },
    { memberId: 'lab-1', role: 'lab' },
    { memberId: 'lab-2', role: 'lab' },
    { memberId: 'regulator-1', role: 'regulator' },
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
  await ledger.submit(id.hospitalAdmin, (ctx) => cc.membership.Bootstrap(ctx, DEMO_MEMBERS));
  return ledger;
}

/** Proposes (by lab-1) and approves (Hospital and Lab admins) a model version. */
export async function approveModel(
  ledger: TestLedger,
  overrides: Record<string, unknown> = {},
): Promise<void> {
  const spec = JSON.parse(modelSpec(overrides)) as { modelId: string; version: string };
  await ledger.submit(id.lab1, (ctx) => cc.models.ProposeModel(ctx, modelSpec(overrides)));
  await ledger.submit(id.hospitalAdmin, (ctx) => cc.models.ApproveModel(ctx, spec.modelId, spec.version));
  await ledger.submit(id.labAdmin, (ctx) => cc.models.ApproveModel(ctx, spec.modelId, spec.version));
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

/** Sets configuration fields as the Hospital admin. */
export async function setConfig(ledger: TestLedger, patch: Record<string, unknown>): Promise<void> {
  await ledger.submit(id.hospitalAdmin, (ctx) => cc.config.SetConfig(ctx, JSON.stringify(patch)));
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
