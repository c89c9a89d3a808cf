/**
 * `npm run gateways`: starts the demo institutions' gateways (every hospital's and the regulator's) in
 * one foreground process on the running network, issues one demo API token per gateway (only its hash
 * is stored by the gateway), writes them with the URLs to `$VERISCAN_HOME/local.json` (mode 0600), and
 * stops everything on Ctrl-C. Issue 15 folds this into `npm start`.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import pino from 'pino';
import { PEER_ORGS, veriscanPaths } from '@veriscan/fabric-kit';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@veriscan/gateway-app';

const program = new Command('npm run gateways --')
  .description(
    "Start every hospital's gateway and the regulator's on the running network, write demo tokens to $VERISCAN_HOME/local.json, and stay in the foreground until Ctrl-C",
  )
  .option('--log-level <level>', 'gateway log level', 'warn')
  .addHelpText(
    'after',
    "\nPorts: 7300 + the org slot for users (hospital-a 7300, hospital-b 7301, regulator-1 7304), 7400 + slot\nfor a hospital's HTTPS scan exchange. Lab URLs come from VERISCAN_GATEWAY_LABS or the ledger member\nrecords (docs/api.md).",
  );

async function main(): Promise<void> {
  program.parse();
  const { logLevel } = program.opts<{ logLevel: string }>();
  const paths = veriscanPaths();
  const orgs = PEER_ORGS.filter((o) => o.memberRole !== 'lab');
  const running: { key: string; role: string; gateway: RunningGateway; token: string }[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(running.map((r) => r.gateway.stop()));
  };
  try {
    for (const org of orgs) {
      const config = loadGatewayConfig({ ...process.env, VERISCAN_GATEWAY_INSTITUTION: org.key });
      const gateway = await startGateway(config, pino({ level: logLevel, base: { institution: org.key } }));
      running.push({ key: org.key, role: config.role, gateway, token: gateway.tokens.issue('demo') });
      const exchange =
        gateway.exchangeUrl === undefined ? '' : `, scan exchange ${gateway.exchangeUrl}/blobs`;
      process.stdout.write(
        `  ${org.key.padEnd(12)} ${gateway.url}  (API docs ${gateway.url}/docs${exchange})\n`,
      );
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const local = {
    hospitals: Object.fromEntries(
      running
        .filter((r) => r.role === 'hospital')
        .map((r) => [r.key, { url: r.gateway.url, token: r.token }]),
    ),
    regulator: running
      .filter((r) => r.role === 'regulator')
      .map((r) => ({ url: r.gateway.url, token: r.token }))[0],
  };
  const file = join(paths.stateDir, 'local.json');
  writeFileSync(file, `${JSON.stringify(local, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  process.stdout.write(`\ndemo tokens written to ${file}\n`);
  for (const r of running) process.stdout.write(`  ${r.key.padEnd(12)} token ${r.token}\n`);
  process.stdout.write('\nCtrl-C stops the gateways.\n');
  const stop = (): void => {
    void stopAll().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
