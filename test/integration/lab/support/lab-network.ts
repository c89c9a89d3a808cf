/**
 * What the lab integration tests share: a per-run copy of the brain-tissue 1.0.0 model under its own
 * model id (so runs never collide on the ledger), its registration (proposed by lab-1, approved by
 * both admin orgs, served by lab-1 only so every request lands there), hospital requests made from
 * the real scan fixtures, and a hospital-side event watcher.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChaincodeEvent, CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import { commitScan, newSalt, type Salt } from '@veriscan/protocol';
import { loadConfig } from '@veriscan/devnet';
import { decodeScan, parseModelManifest, registrySpec } from '../../../../inference-lab/src/runtime';
import { Clients, parseObjectBytes, CHAINCODE } from '../../chaincode/support/consortium';
import type { TestHospitalBlobServer } from './test-hospital-blob-server';
import { Tx, EventName } from '@veriscan/ledger-api';

const repoRoot = join(__dirname, '..', '..', '..', '..');

/** The per-run model: id, version, the folder the lab loads it from. */
export interface RunModel {
  readonly id: string;
  readonly version: string;
  readonly sha256: string;
  readonly ref: string;
  readonly modelDir: string;
}

/** Copies brain-tissue 1.0.0 under `it-lab-<suffix>` and registers it on the ledger. */
export async function setUpRunModel(clients: Clients, suffix: string): Promise<RunModel> {
  const source = join(repoRoot, 'inference-lab', 'models', 'brain-tissue', '1.0.0');
  const id = `it-lab-${suffix}`;
  const modelDir = join(tmpdir(), `veriscan-lab-models-${suffix}`);
  const target = join(modelDir, id, '1.0.0');
  mkdirSync(target, { recursive: true });
  cpSync(join(source, 'model.onnx'), join(target, 'model.onnx'));
  const raw: unknown = JSON.parse(readFileSync(join(source, 'model.json'), 'utf8'));
  if (typeof raw !== 'object' || raw === null) throw new Error('model.json is not an object');
  const copy = { ...raw, modelId: id };
  writeFileSync(join(target, 'model.json'), JSON.stringify(copy, null, 2));
  const sha256 = createHash('sha256')
    .update(readFileSync(join(target, 'model.onnx')))
    .digest('hex');
  const spec = JSON.stringify(registrySpec(parseModelManifest(copy)));
  await clients.contract('lab-1').submitTransaction(Tx.ProposeModel, spec);
  await clients.contract('hospital-admin').submitTransaction(Tx.ApproveModel, id, '1.0.0');
  await clients.contract('lab-admin').submitTransaction(Tx.ApproveModel, id, '1.0.0');
  await clients.contract('lab-1').submitTransaction(Tx.DeclareCapacity, `${id}@1.0.0`, '16');
  return { id, version: '1.0.0', sha256, ref: `${id}@1.0.0`, modelDir };
}

/** The devnet's LabMSP folder (the hospital side trusts it to verify lab downloads). */
export function labMspDir(): string {
  return join(loadConfig().cryptoDir, 'peerOrganizations', 'lab.veriscan.local', 'msp');
}

/** The scan fixtures the tests cycle through. */
export const FIXTURES = [
  'brain-axial-z102-8bit.png',
  'brain-axial-z057-16bit.png',
  'brain-axial-z102.jpg',
  'mr-axial-z057-explicit.dcm',
] as const;

/** A hospital request made and its scan handed to the blob server. */
export interface MadeRequest {
  readonly requestId: string;
  readonly salt: Salt;
  readonly blockNumber: bigint;
}

/** Hospital-a requests an inference on fixture `index` and hands the scan to `blobs`. */
export async function requestScan(
  clients: Clients,
  blobs: TestHospitalBlobServer,
  model: RunModel,
  requestId: string,
  index: number,
): Promise<MadeRequest> {
  const name = FIXTURES[index % FIXTURES.length] ?? FIXTURES[0];
  const file = new Uint8Array(readFileSync(join(repoRoot, 'test', 'fixtures', 'scans', name)));
  const mediaType = name.endsWith('.dcm')
    ? 'application/dicom'
    : name.endsWith('.jpg')
      ? 'image/jpeg'
      : 'image/png';
  const salt = newSalt((n) => new Uint8Array(randomBytes(n)));
  const image = await decodeScan(file, mediaType);
  const { scanCommitment, tileRootCommitment } = commitScan(image, salt, 32);
  // Held before the request exists on the ledger, so an assigned lab never finds it missing.
  blobs.scans.set(requestId, { requestId, file, mediaType, salt, tileSize: 32, assignedLab: 'lab-1' });
  const submitted = await clients.contract('hospital-a').submitAsync(Tx.RequestInference, {
    arguments: [
      JSON.stringify({
        requestId,
        scanCommitment,
        tileRootCommitment,
        modelRef: model.ref,
        priority: 'routine',
      }),
    ],
  });
  const status = await submitted.getStatus();
  if (!status.successful) throw new Error(`RequestInference ${requestId} failed with ${status.code}`);
  const request = parseObjectBytes(submitted.getResult());
  if (request.assignedLab !== 'lab-1')
    throw new Error(`request ${requestId} assigned to ${String(request.assignedLab)}`);
  return { requestId, salt, blockNumber: status.blockNumber };
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
