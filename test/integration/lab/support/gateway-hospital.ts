/**
 * Hospital-a as the lab tests meet it: its real gateway (gateway-app), uploads through its API, and
 * the lab fetching from its HTTPS scan exchange. What a test needs to see of the hospital's side (the
 * request's salt and block, which scans were served or refused) is read from the gateway's own
 * database and access log, as the hospital's staff would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Salt } from '@veriscan/protocol';
import { freePort, startTestGateway, upload, type TestGateway } from '../../gateway/support/gateways';
import { FIXTURES, RUN_LAB, type MadeRequest, type RunModel } from './lab-network';

const fixtures = join(__dirname, '..', '..', '..', 'fixtures', 'scans');

interface Row {
  state: string;
  salt: string;
  block_number: string | null;
  assigned_lab: string | null;
  last_error: string | null;
}

export class GatewayHospital {
  readonly #gateway: TestGateway;
  readonly #db: Database.Database;

  private constructor(gateway: TestGateway) {
    this.#gateway = gateway;
    this.#db = new Database(join(gateway.stateDir, 'gateway.sqlite'), {
      readonly: true,
      fileMustExist: true,
    });
  }

  /** Starts hospital-a's gateway on free ports. */
  static async start(): Promise<GatewayHospital> {
    const gateway = await startTestGateway('hospital-a', await freePort(), {
      VERISCAN_GATEWAY_LOG_LEVEL: 'error',
    });
    return new GatewayHospital(gateway);
  }

  /** The blob endpoint a lab is configured with (the HTTPS exchange). */
  get blobUrl(): string {
    if (this.#gateway.exchangeUrl === undefined) throw new Error('hospital gateway without a scan exchange');
    return `${this.#gateway.exchangeUrl}/blobs`;
  }

  /**
   * Uploads fixture `index` for `model` and resolves once the ledger holds the request (the gateway's
   * outbox submitted it), assigned to the run's lab.
   */
  async requestScan(model: RunModel, index: number): Promise<MadeRequest> {
    const name = FIXTURES[index % FIXTURES.length] ?? FIXTURES[0];
    const res = await upload(this.#gateway, new Uint8Array(readFileSync(join(fixtures, name))), name, {
      model: model.ref,
    });
    const body = (await res.json()) as { requestId?: string; detail?: string };
    if (res.status !== 202 || body.requestId === undefined)
      throw new Error(`upload of ${name} answered ${res.status}: ${body.detail ?? ''}`);
    const requestId = body.requestId;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const row = this.#db
        .prepare('SELECT state, salt, block_number, assigned_lab, last_error FROM scans WHERE request_id = ?')
        .get(requestId) as Row | undefined;
      if (row !== undefined && row.state !== 'accepted') {
        if (row.state === 'failed') throw new Error(`request ${requestId} failed: ${row.last_error ?? ''}`);
        if (row.assigned_lab !== RUN_LAB)
          throw new Error(`request ${requestId} assigned to ${String(row.assigned_lab)}`);
        return { requestId, salt: row.salt as Salt, blockNumber: BigInt(row.block_number ?? '0') };
      }
      if (Date.now() > deadline) throw new Error(`request ${requestId} not on the ledger after 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Scan downloads the hospital served, by request id (from its access log). */
  served(): Map<string, number> {
    const rows = this.#db
      .prepare(
        "SELECT request_id AS id, COUNT(*) AS n FROM access_log WHERE outcome = 'served' GROUP BY request_id",
      )
      .all() as { id: string; n: number }[];
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  /** Refused download attempts (their reasons), from its access log. */
  refused(): string[] {
    return (
      this.#db.prepare("SELECT outcome FROM access_log WHERE outcome <> 'served' ORDER BY id").all() as {
        outcome: string;
      }[]
    ).map((r) => r.outcome);
  }

  async stop(): Promise<void> {
    this.#db.close();
    await this.#gateway.running.stop();
  }
}
