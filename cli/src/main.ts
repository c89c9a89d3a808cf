#!/usr/bin/env node
/**
 * `veriscan`: the hospital's and the regulator's commands, through their institution's gateway with the
 * endpoints and tokens of `local.json` (`npm start` writes it). Data goes to stdout (`--json` for
 * machines), progress and errors to stderr; exit codes in {@link ExitCode}.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Command, Option } from 'commander';
import { CliError, ExitCode } from './errors';
import { call, callJson } from './http';
import { readLocalFile, type Endpoint } from './local-file';

const EXIT_CODES = `
Exit codes:
  0  done
  1  the gateway refused (its problem details are printed)
  2  bad arguments
  3  no local.json, or no such institution in it (run \`npm start\`)
  4  a gateway could not be reached
  5  --wait: the request failed, expired or did not complete in time
  6  audit verify: a check failed`;

interface Common {
  readonly json?: boolean;
  readonly local?: string;
  readonly hospital: string;
}

function hospitalOf(options: Common): Endpoint {
  const endpoint = readLocalFile(options.local).hospitals[options.hospital];
  if (endpoint === undefined)
    throw new CliError(ExitCode.CONFIG, `no hospital ${options.hospital} in local.json`);
  return endpoint;
}

function print(options: { readonly json?: boolean }, value: unknown, text: () => string): void {
  process.stdout.write(options.json === true ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

/** A JSON value for a text line (`-` when absent). */
function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '-';
}

const TERMINAL = new Set(['completed', 'failed', 'expired']);

async function waitFor(endpoint: Endpoint, id: string, timeoutS: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutS * 1000;
  let last = '';
  for (;;) {
    const detail = await callJson(endpoint, `/api/v1/scans/${id}`);
    const status = String(detail.status);
    if (status !== last) process.stderr.write(`${id}: ${status}\n`);
    last = status;
    if (TERMINAL.has(status)) return detail;
    if (Date.now() > deadline)
      throw new CliError(ExitCode.NOT_COMPLETED, `${id} still ${status} after ${timeoutS} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function hospitalCommand(program: Command, name: string): Command {
  return program
    .command(name)
    .option('--hospital <id>', 'the hospital whose gateway to use', 'hospital-a')
    .option('--local <file>', 'local.json to read (default $VERISCAN_LOCAL or $VERISCAN_HOME/local.json)')
    .option('--json', 'print JSON');
}

export function program(): Command {
  const root = new Command('veriscan')
    .description(
      'Veriscan from the command line: a hospital submits scans and reads results, a regulator audits',
    )
    .addHelpText('after', EXIT_CODES)
    .showHelpAfterError();

  hospitalCommand(root, 'submit')
    .description("upload a scan (PNG, JPEG or DICOM) through the hospital's gateway")
    .argument('<file>', 'the scan')
    .requiredOption('--model <ref>', 'model reference, e.g. brain-tissue@approved or brain-tissue@1.0.0')
    .addOption(
      new Option('--priority <p>', 'routine, urgent or stat')
        .choices(['routine', 'urgent', 'stat'])
        .default('routine'),
    )
    .option('--patient-ref <ref>', "the hospital's own reference (kept in its gateway only)")
    .option('--idempotency-key <key>', 'retry-safe key (a retried submit with it makes no second request)')
    .option('--wait', 'wait until the request completes, fails or expires')
    .option('--timeout <s>', 'with --wait: give up after this many seconds', '300')
    .action(async (file: string, options: Common & Record<string, string | boolean | undefined>) => {
      const endpoint = hospitalOf(options);
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (error) {
        throw new CliError(
          ExitCode.USAGE,
          `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const form = new FormData();
      form.set('file', new Blob([bytes]), basename(file));
      form.set('model', String(options.model));
      form.set('priority', String(options.priority));
      if (typeof options.patientRef === 'string') form.set('patientRef', options.patientRef);
      const headers: Record<string, string> =
        typeof options.idempotencyKey === 'string' ? { 'idempotency-key': options.idempotencyKey } : {};
      const accepted = await callJson(endpoint, '/api/v1/scans', { method: 'POST', body: form, headers });
      const id = String(accepted.requestId);
      if (options.wait !== true) {
        print(options, accepted, () => `${id} ${String(accepted.status)}`);
        return;
      }
      const detail = await waitFor(endpoint, id, Number(options.timeout));
      print(options, detail, () => `${id} ${String(detail.status)}`);
      if (detail.status !== 'completed')
        throw new CliError(ExitCode.NOT_COMPLETED, `${id} ended ${String(detail.status)}`);
    });

  hospitalCommand(root, 'status')
    .description("a request's status, receipt and checks")
    .argument('<requestId>')
    .action(async (id: string, options: Common) => {
      const detail = await callJson(hospitalOf(options), `/api/v1/scans/${encodeURIComponent(id)}`);
      print(options, detail, () => {
        const request = detail.request as Record<string, unknown>;
        const receipt = detail.receipt as Record<string, unknown> | undefined;
        return [
          `${id} ${String(detail.status)}`,
          `  model ${String(request.modelRef)}  lab ${text(request.assignedLab)}  created ${String(request.createdAt)}`,
          ...(receipt === undefined
            ? []
            : [`  receipt ${String(receipt.receiptHash)}  tx ${String(receipt.txId)}`]),
        ].join('\n');
      });
    });

  hospitalCommand(root, 'scans')
    .description("the hospital's requests, newest first")
    .option('--status <state>', 'accepted, submitted, completed, failed or expired')
    .option('--limit <n>', 'how many (1..100)', '20')
    .action(async (options: Common & { status?: string; limit: string }) => {
      const query = new URLSearchParams({
        limit: options.limit,
        ...(options.status === undefined ? {} : { status: options.status }),
      });
      const page = await callJson(hospitalOf(options), `/api/v1/scans?${query.toString()}`);
      const scans = page.scans as Record<string, unknown>[];
      print(options, page, () =>
        scans
          .map(
            (s) =>
              `${String(s.requestId)} ${String(s.status).padEnd(10)} ${String(s.modelRef)} ${String(s.createdAt)}`,
          )
          .join('\n'),
      );
    });

  hospitalCommand(root, 'result')
    .description('save a completed result (result.json and mask.png) into a folder')
    .argument('<requestId>')
    .requiredOption('--out <dir>', 'folder to write into (created if missing)')
    .action(async (id: string, options: Common & { out: string }) => {
      const endpoint = hospitalOf(options);
      const result = await callJson(endpoint, `/api/v1/scans/${encodeURIComponent(id)}/result`);
      const mask = await call(endpoint, `/api/v1/scans/${encodeURIComponent(id)}/result/mask.png`);
      mkdirSync(options.out, { recursive: true });
      writeFileSync(join(options.out, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
      writeFileSync(join(options.out, 'mask.png'), mask.body);
      const classes = result.classes as { name: string; fraction: number }[];
      print(options, result, () =>
        [
          `${id}: ${join(options.out, 'result.json')}, ${join(options.out, 'mask.png')}`,
          ...classes.map((c) => `  ${c.name.padEnd(16)} ${(c.fraction * 100).toFixed(1)} %`),
        ].join('\n'),
      );
    });

  const audit = root.command('audit').description("the regulator's read-only audit, through its gateway");
  const regulatorOf = (options: { local?: string }): Endpoint => readLocalFile(options.local).regulator;
  audit
    .command('list')
    .description('requests on the ledger')
    .option('--status <s>', 'pending, assigned, completed, expired or disputed')
    .option('--hospital <id>')
    .option('--lab <id>')
    .option('--limit <n>', 'how many (1..100)', '20')
    .option('--local <file>', 'local.json to read')
    .option('--json', 'print JSON')
    .action(
      async (options: {
        status?: string;
        hospital?: string;
        lab?: string;
        limit: string;
        local?: string;
        json?: boolean;
      }) => {
        const query = new URLSearchParams({ limit: options.limit });
        for (const key of ['status', 'hospital', 'lab'] as const) {
          const value = options[key];
          if (value !== undefined) query.set(key, value);
        }
        const page = await callJson(regulatorOf(options), `/api/v1/audit/requests?${query.toString()}`);
        const requests = page.requests as Record<string, unknown>[];
        print(options, page, () =>
          requests
            .map(
              (r) =>
                `${String(r.requestId)} ${String(r.status).padEnd(9)} ${String(r.hospitalId)} ${text(r.assignedLab)} ${String(r.modelRef)}`,
            )
            .join('\n'),
        );
      },
    );
  audit
    .command('verify')
    .description('re-run a request at the regulator and check it against the ledger')
    .argument('<requestId>')
    .option('--local <file>', 'local.json to read')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { local?: string; json?: boolean }) => {
      process.stderr.write(`verifying ${id} (fetching the scan and trace, re-running the model)…\n`);
      const verification = await callJson(
        regulatorOf(options),
        `/api/v1/audit/requests/${encodeURIComponent(id)}/verify`,
        { method: 'POST' },
      );
      const checks = verification.checks as { name: string; ok: boolean; detail: string }[];
      print(options, verification, () =>
        [
          `${id}: ${verification.verified === true ? 'verified' : 'NOT verified'}`,
          ...checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}  ${c.detail}`),
        ].join('\n'),
      );
      if (verification.verified !== true) throw new CliError(ExitCode.NOT_VERIFIED, `${id} did not verify`);
    });
  return root;
}

/** Parses `argv` and runs the command; exits with its code on failure. */
export function run(argv: readonly string[]): void {
  program()
    .parseAsync([...argv])
    .catch((error: unknown) => {
      process.stderr.write(`veriscan: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(error instanceof CliError ? error.exitCode : 1);
    });
}

if (require.main === module) run(process.argv);
