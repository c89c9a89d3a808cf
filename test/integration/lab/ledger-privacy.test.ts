/**
 * The attack of protocol version 2: someone who holds a scan, but not its salt, looks for it on the
 * ledger. After real requests complete through a lab service in single-receipt mode (the trace travels in
 * the transaction) and in batch mode, every unsalted digest the pipeline produces for those scans — scan
 * hash, tile root, tensor hash, output hash, and a trace hash with the commitments replaced by the bare
 * digests — is searched for in every node's on-disk ledger (block files; on real Fabric also the state,
 * history and index databases) and in the nodes' logs, as lowercase and uppercase hex, raw bytes and base64. A positive control
 * first finds each request's salted commitments in every peer's files, so an empty search means the
 * digests are absent, not that the search looked in the wrong place.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pino from 'pino';
import {
  DomainTag,
  canonicalize,
  commitScan,
  hashTensor,
  sha256HexToBytes,
  taggedHash,
  type PixelTrace,
  type Sha256Hex,
} from '@veriscan/protocol';
import { loadLabConfig } from '../../../inference-lab/src/config';
import { startLab } from '../../../inference-lab/src/main';
import {
  ModelStore,
  decodeScan,
  instructionSetFromCpuinfo,
  preprocess,
  runInference,
  type LoadedModel,
} from '../../../inference-lab/src/runtime';
import { Clients, parseObjectBytes, runSuffix } from '../chaincode/support/consortium';
import { ledgerFolders, networkLogFolder } from '../support/network';
import {
  EventWatcher,
  FIXTURES,
  setUpRunModel,
  type MadeRequest,
  type RunModel,
} from './support/lab-network';
import { GatewayHospital } from './support/gateway-hospital';
import { labEnv } from './support/lab-env';
import { Tx } from '@veriscan/ledger-api';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'scans');

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

/** The encodings a 32-byte digest could take in a block or a database. */
function encodings(hex: Sha256Hex): readonly Buffer[] {
  const raw = Buffer.from(sha256HexToBytes(hex));
  return [
    Buffer.from(hex, 'ascii'),
    Buffer.from(hex.toUpperCase(), 'ascii'),
    raw,
    Buffer.from(raw.toString('base64'), 'ascii'),
  ];
}

/** Node folder (and `logs`, the nodes' log files) → the concatenated bytes of its files. */
function ledgerBytes(): Map<string, Buffer> {
  const byNode = new Map<string, Buffer>();
  for (const [node, dir] of [...ledgerFolders(), ['logs', networkLogFolder()] as const]) {
    const files = filesUnder(dir).filter((f) => statSync(f).size > 0);
    byNode.set(node, Buffer.concat(files.map((f) => readFileSync(f))));
  }
  return byNode;
}

/** The digests of one scan that do not depend on the salt, named for the failure message. */
interface Unsalted {
  readonly name: string;
  readonly hex: Sha256Hex;
}

/**
 * What a scan holder can compute without the salt: scan hash and tile root (from the pixels), tensor
 * hash (the model's public preprocessing), output hash (the approved model run), and the trace hash a
 * trace with bare digests in place of its commitments would have.
 */
async function unsaltedDigests(
  fixture: string,
  made: MadeRequest,
  model: LoadedModel,
): Promise<readonly Unsalted[]> {
  const bytes = readFileSync(join(fixtures, fixture));
  const pixels = await decodeScan(bytes);
  const run = await runInference({ scanBytes: bytes, salt: made.salt, model });
  const lab: PixelTrace = run.trace;
  const scan = commitScan(pixels, made.salt, lab.pixels.tileSize);
  const tensorHash = hashTensor(preprocess(pixels, model.manifest));
  const bare = {
    ...lab,
    pixels: { ...lab.pixels, scanCommitment: scan.pixelsHash, tileRootCommitment: scan.tileRoot },
    preprocess: { ...lab.preprocess, tensorCommitment: tensorHash },
    output: { ...lab.output, outputCommitment: run.outputHash },
  };
  return [
    { name: `${fixture} scan hash`, hex: scan.pixelsHash },
    { name: `${fixture} tile root`, hex: scan.tileRoot },
    { name: `${fixture} tensor hash`, hex: tensorHash },
    { name: `${fixture} output hash`, hex: run.outputHash },
    {
      name: `${fixture} unsalted trace hash`,
      hex: taggedHash(DomainTag.trace, Buffer.from(canonicalize(bare), 'utf8')),
    },
  ];
}

describe('ledger privacy: no digest of a scan or its output without the salt (protocol version 2)', function () {
  this.timeout(300_000);
  const clients = new Clients();
  const models = new ModelStore({
    instructionSet: instructionSetFromCpuinfo(readFileSync('/proc/cpuinfo', 'utf8')),
  });
  let hospital: GatewayHospital;
  let runModel: RunModel;
  let model: LoadedModel;

  before(async () => {
    runModel = await setUpRunModel(runSuffix());
    hospital = await GatewayHospital.start();
    model = await models.load(join(runModel.modelDir, runModel.id, runModel.version));
  });

  after(async () => {
    await (hospital as GatewayHospital | undefined)?.stop();
    await models.close();
    clients.close();
  });

  it('finds the salted commitments of single and batch results in every peer, and none of the unsalted digests anywhere', async () => {
    const made: { fixture: string; request: MadeRequest }[] = [];
    for (const mode of ['single', 'batch'] as const) {
      const stateDir = mkdtempSync(join(tmpdir(), `veriscan-privacy-${mode}-`));
      const lab = await startLab(
        loadLabConfig(
          labEnv(runModel, hospital, stateDir, {
            VERISCAN_LAB_BATCH_MODE: mode,
            VERISCAN_LAB_BATCH_SIZE: String(FIXTURES.length),
            VERISCAN_LAB_BATCH_INTERVAL_MS: '1000',
          }),
        ),
        pino({ level: 'warn' }),
      );
      const watcher = new EventWatcher();
      try {
        const batch: { fixture: string; request: MadeRequest }[] = [];
        for (const [index, fixture] of FIXTURES.entries())
          batch.push({ fixture, request: await hospital.requestScan(runModel, index) });
        await watcher.start(clients, batch[0]?.request.blockNumber ?? 0n);
        await watcher.until(() => batch.every((m) => watcher.completed().has(m.request.requestId)));
        made.push(...batch);
      } finally {
        watcher.close();
        await lab.stop(5000);
      }
    }

    // Positive control: each request's salted commitments (request and receipt) are in every peer's files.
    const contract = clients.contract('regulator-1');
    const salted: string[] = [];
    for (const { request } of made) {
      const stored = parseObjectBytes(await contract.evaluateTransaction(Tx.GetRequest, request.requestId));
      const receipt = parseObjectBytes(await contract.evaluateTransaction(Tx.GetReceipt, request.requestId));
      salted.push(String(stored.scanCommitment), String(receipt.outputCommitment));
    }
    const deadline = Date.now() + 30_000;
    let ledgers = ledgerBytes();
    const missing = (): string[] =>
      [...ledgers.entries()]
        .filter(([node]) => node.startsWith('peer'))
        .flatMap(([node, bytes]) =>
          salted.filter((hex) => !bytes.includes(hex)).map((hex) => `${node}: ${hex}`),
        );
    while (missing().length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      ledgers = ledgerBytes();
    }
    expect(missing(), 'salted commitments not yet on every peer').to.deep.equal([]);
    expect([...ledgers.keys()].filter((n) => n.startsWith('peer')).length).to.be.at.least(5);

    // The attack: every unsalted digest, in every encoding, in every node's ledger files.
    const found: string[] = [];
    let searched = 0;
    for (const { fixture, request } of made) {
      for (const digest of await unsaltedDigests(fixture, request, model)) {
        for (const [node, bytes] of ledgers) {
          for (const needle of encodings(digest.hex)) {
            searched++;
            if (bytes.includes(needle)) found.push(`${digest.name} in ${node}`);
          }
        }
      }
    }
    expect(searched).to.be.above(0);
    expect(found).to.deep.equal([]);
  });
});
