/**
 * `npm start`'s last step (scripts/veriscan.mjs runs it after the network, chaincode and members are
 * up): the whole demo system in the foreground, one prefixed line per log event, until Ctrl-C or
 * SIGTERM (`npm stop`). It records its pid in `$VERISCAN_HOME/system/pid` and writes
 * `$VERISCAN_HOME/system/ready` once everything listens, which `npm start -- --detach` waits for.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import pino from 'pino';
import { veriscanPaths } from '@veriscan/fabric-kit';
import { startSystem } from './system';

const LEVELS: Readonly<Record<number, string>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const SKIPPED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'service', 'institution', 'lab']);

/** JSON log lines → `HH:MM:SS [component] level msg key=value …` on stdout. */
function prefixedLines(component: string): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          const event = JSON.parse(line) as Record<string, unknown>;
          const time =
            typeof event.time === 'string'
              ? event.time.slice(11, 19)
              : new Date().toISOString().slice(11, 19);
          const fields = Object.entries(event)
            .filter(([k]) => !SKIPPED.has(k))
            .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(' ');
          const level = LEVELS[Number(event.level)] ?? String(event.level);
          process.stdout.write(
            `${time} [${component}] ${level} ${typeof event.msg === 'string' ? event.msg : ''} ${fields}\n`,
          );
        } catch {
          process.stdout.write(`[${component}] ${line}\n`);
        }
      }
      done();
    },
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const program = new Command('scripts/system/main.ts')
    .description(
      'Run the whole Veriscan demo system (models, labs, gateways) on the running network until Ctrl-C',
    )
    .option('--log-level <level>', 'services log level', 'info')
    .parse();
  const { logLevel } = program.opts<{ logLevel: string }>();
  const paths = veriscanPaths();
  const dir = join(paths.stateDir, 'system');
  const pidFile = join(dir, 'pid');
  const readyFile = join(dir, 'ready');
  mkdirSync(dir, { recursive: true });
  if (existsSync(pidFile)) {
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
    if (pid !== process.pid && alive(pid)) {
      process.stdout.write(
        `Veriscan is already running (pid ${pid}); see ${join(paths.stateDir, 'local.json')}\n`,
      );
      return;
    }
  }
  writeFileSync(pidFile, `${process.pid}\n`);
  rmSync(readyFile, { force: true });
  const started = performance.now();
  const progress = (line: string): void => {
    process.stdout.write(`  ${line}\n`);
  };
  let system;
  try {
    system = await startSystem({
      progress,
      logger: (component) => pino({ level: logLevel, base: { component } }, prefixedLines(component)),
    });
  } catch (error) {
    rmSync(pidFile, { force: true });
    throw error;
  }
  const { local } = system;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const lines = [
    '',
    `Veriscan is running (services up in ${seconds} s). Models: ${local.models.join(', ')}.`,
    '',
    ...Object.entries(local.hospitals).map(
      ([id, h]) => `  ${id.padEnd(12)} page ${h.url}/   API docs ${h.url}/docs   token ${h.token}`,
    ),
    `  ${'regulator-1'.padEnd(12)} page ${local.regulator.url}/   API docs ${local.regulator.url}/docs   token ${local.regulator.token}`,
    ...Object.entries(local.labs).map(([id, l]) => `  ${id.padEnd(12)} API ${l.url}`),
    '',
    `URLs and tokens: ${system.localFile}`,
    'Next: open a hospital page, sign in with its token, upload test/fixtures/scans/brain-axial-z102-8bit.png',
    'with model brain-tissue@approved, watch it complete, then verify it on the regulator page.',
    'Or: curl -H "Authorization: Bearer <token>" -F file=@<scan> -F model=brain-tissue@approved <hospital>/api/v1/scans',
    'Ctrl-C (or `npm stop`) stops everything.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  writeFileSync(readyFile, `${new Date().toISOString()}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('stopping the labs and gateways…\n');
    void system
      .stop()
      .catch((error: unknown) => {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      })
      .finally(() => {
        rmSync(readyFile, { force: true });
        rmSync(pidFile, { force: true });
        process.exit(0);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `veriscan system: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
