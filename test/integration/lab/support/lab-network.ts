/**
 * What the lab integration tests share: a per-run copy of the brain-tissue 1.0.0 model under its own
 * model id (so runs never collide on the ledger), its registration (proposed by lab-1, approved by a
 * majority of the voting institutions' admins, served by lab-1 only so every request lands there),
 * the scan fixtures the hospital uploads (gateway-hospital.ts), and a hospital-side event watcher.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChaincodeEvent, CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import { adminMemberId, connectGateway, findBlock, orgsOfRole } from '@veriscan/fabric-kit';
import type { Salt } from '@veriscan/protocol';
import { EventName, VeriscanLedger } from '@veriscan/ledger-api';
import { parseModelManifest, registrySpec } from '../../../../inference-lab/src/runtime';
import { Clients, parseObjectBytes, CHAINCODE } from '../../chaincode/support/consortium';
import { profile } from '../../support/network';

const repoRoot = join(__dirname, '..', '..', '..', '..');

/** The lab that proposes and serves the run's model; requests are assigned to it. */
export const RUN_LAB = 'lab-1';

/** The per-run model: id, version, the folder the lab loads it from. */
export interface RunModel {
  readonly id: string;
  readonly version: string;
  readonly sha256: string;
  readonly ref: string;
  readonly modelDir: string;
}

/** Runs `task` with the ledger facade as profile identity `identity`, on a connection of its own. */
async function asIdentity<T>(identity: string, task: (ledger: VeriscanLedger) => Promise<T>): Promise<T> {
  const connection = connectGateway(profile(), identity);
  try {
    const contract = connection.gateway.getNetwork(profile().channel).getContract(CHAINCODE);
    return await task(new VeriscanLedger({ contract }));
  } finally {
    connection.close();
  }
}

/**
 * Resolves once every peer of the network has committed block `blockNumber`: each admin below reads
 * through its own institution's peer, and peers commit on their own schedule (visibly on SmartBFT).
 */
async function committedEverywhere(blockNumber: bigint): Promise<void> {
  const p = profile();
  await Promise.all(
    Object.keys(p.peers).map((peer) => {
      const reader = Object.entries(p.identities).find(([, id]) => id.peer === peer)?.[0];
      return reader === undefined ? Promise.resolve() : findBlock(p, reader, blockNumber, () => true);
    }),
  );
}

/**
 * The admins whose approvals make a model version approved: a strict majority of the voting
 * (hospital and lab) institutions, in table order, leaving out the proposing lab so the count holds
 * whether or not the chaincode lets a proposer's own admin approve.
 */
export function modelApprovers(proposer: string): readonly string[] {
  const voters = [...orgsOfRole('hospital'), ...orgsOfRole('lab')];
  const majority = Math.floor(voters.length / 2) + 1;
  return voters
    .filter((org) => org.key !== proposer)
    .slice(0, majority)
    .map((org) => adminMemberId(org));
}

/** Copies brain-tissue 1.0.0 under `it-lab-<suffix>` and registers it on the ledger. */
export async function setUpRunModel(suffix: string): Promise<RunModel> {
  const source = join(repoRoot, 'inference-lab', 'models', 'brain-tissue', '1.0.0');
  const id = `it-lab-${suffix}`;
  const version = '1.0.0';
  const modelDir = join(tmpdir(), `veriscan-lab-models-${suffix}`);
  const target = join(modelDir, id, version);
  mkdirSync(target, { recursive: true });
  cpSync(join(source, 'model.onnx'), join(target, 'model.onnx'));
  const raw: unknown = JSON.parse(readFileSync(join(source, 'model.json'), 'utf8'));
  if (typeof raw !== 'object' || raw === null) throw new Error('model.json is not an object');
  const copy = { ...raw, modelId: id };
  writeFileSync(join(target, 'model.json'), JSON.stringify(copy, null, 2));
  const sha256 = createHash('sha256')
    .update(readFileSync(join(target, 'model.onnx')))
    .digest('hex');
  const ref = `${id}@${version}`;
  const proposed = await asIdentity(RUN_LAB, (lab) =>
    lab.proposeModel({ ...registrySpec(parseModelManifest(copy)) }),
  );
  await committedEverywhere(proposed.blockNumber);
  for (const admin of modelApprovers(RUN_LAB)) {
    const approved = await asIdentity(admin, (ledger) => ledger.approveModel(id, version));
    await committedEverywhere(approved.blockNumber);
  }
  const declared = await asIdentity(RUN_LAB, (lab) => lab.declareCapacity(ref, 16));
  await committedEverywhere(declared.blockNumber);
  return { id, version, sha256, ref, modelDir };
}

/** The scan fixtures the tests cycle through. */
export const FIXTURES = [
  'brain-axial-z102-8bit.png',
  'brain-axial-z057-16bit.png',
  'brain-axial-z102.jpg',
  'mr-axial-z057-explicit.dcm',
] as const;

/** A hospital request on the ledger: its id, its salt (the hospital's secret) and its block. */
export interface MadeRequest {
  readonly requestId: string;
  readonly salt: Salt;
  readonly blockNumber: bigint;
}

/** Collects the chaincode events hospital-a sees from a block on, and waits for conditions on them. */
export class EventWatcher {
  readonly events: { name: string; payload: Readonly<Record<string, unknown>>; txId: string }[] = [];
  #stream: CloseableAsyncIterable<ChaincodeEvent> | undefined;
  #waiters: { check: () => boolean; resolve: () => void }[] = [];

  async start(clients: Clients, startBlock: bigint): Promise<void> {
    this.#stream = await clients.network('hospital-a').getChaincodeEvents(CHAINCODE, { startBlock });
    const stream = this.#stream;
    void (async () => {
      try {
        for await (const event of stream) {
          this.events.push({
            name: event.eventName,
            payload: parseObjectBytes(event.payload),
            txId: event.transactionId,
          });
          this.#waiters = this.#waiters.filter((w) => {
            if (!w.check()) return true;
            w.resolve();
            return false;
          });
        }
      } catch {
        // closed
      }
    })();
  }

  /** Request ids completed so far (ResultCommitted, or listed by a BatchAnchored). */
  completed(): Set<string> {
    const ids = new Set<string>();
    for (const e of this.events) {
      if (e.name === EventName.ResultCommitted && typeof e.payload.requestId === 'string')
        ids.add(e.payload.requestId);
      if (e.name === EventName.BatchAnchored && Array.isArray(e.payload.requestIds))
        for (const id of e.payload.requestIds as unknown[]) if (typeof id === 'string') ids.add(id);
    }
    return ids;
  }

  /** Resolves when `check` holds (the test's timeout bounds the wait). */
  async until(check: () => boolean): Promise<void> {
    if (check()) return;
    await new Promise<void>((resolve) => {
      this.#waiters.push({ check, resolve });
    });
  }

  close(): void {
    this.#stream?.close();
  }
}
