#!/usr/bin/env node
/**
 * `veriscan-gateway`: runs one institution's gateway in the foreground until SIGINT/SIGTERM, or issues
 * an API token for it. Configuration comes from the environment (CONFIG_USAGE); the flags below set the
 * most common variables.
 */
import { Command } from 'commander';
import { startGateway, type RunningGateway } from './app';
import { CONFIG_USAGE, loadGatewayConfig } from './config';
import { GatewayError } from './errors';
import { ApiTokens } from './http/api-tokens';
import { openGatewayDatabase } from './store/database';
import { createLogger } from './telemetry';
import { join } from 'node:path';

export { startGateway, type RunningGateway } from './app';
export { loadGatewayConfig, type GatewayConfig } from './config';
export { tokenHash } from './http/api-tokens';
export { openApiDocument } from './http/openapi';

function applyFlags(options: { institution?: string; port?: string }): void {
  if (options.institution !== undefined) process.env.VERISCAN_GATEWAY_INSTITUTION = options.institution;
  if (options.port !== undefined) process.env.VERISCAN_GATEWAY_HTTP_PORT = options.port;
}

async function serve(): Promise<void> {
  const config = loadGatewayConfig();
  const log = createLogger({ level: config.logLevel, institution: config.institution });
  const running: RunningGateway = await startGateway(config, log);
  process.stdout.write(
    `${config.role} gateway for ${config.institution}: ${running.url} (API docs ${running.url}/docs)\n`,
  );
  const stop = (): void => {
    void running.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function issueToken(name: string): void {
  const config = loadGatewayConfig();
  const db = openGatewayDatabase(join(config.stateDir, 'gateway.sqlite'));
  try {
    process.stdout.write(`${new ApiTokens(db).issue(name)}\n`);
  } finally {
    db.close();
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('veriscan-gateway')
    .description(
      "An institution's Veriscan gateway: a hospital's upload API and scan exchange, or the regulator's read-only audit API",
    )
    .option('--institution <key>', 'org key served (sets VERISCAN_GATEWAY_INSTITUTION)')
    .option('--port <port>', 'HTTP port (sets VERISCAN_GATEWAY_HTTP_PORT)')
    .option(
      '--issue-token <name>',
      'issue an API token for user <name>, print it once, and exit (only its hash is kept)',
    )
    .addHelpText(
      'after',
      `\n${CONFIG_USAGE}\n\nHTTP: /healthz, /metrics, /openapi.json, /docs and the API of docs/api.md.\nExit codes: 0 stopped cleanly, 1 bad configuration or start failure.`,
    )
    .action(async (options: { institution?: string; port?: string; issueToken?: string }) => {
      applyFlags(options);
      if (options.issueToken !== undefined) issueToken(options.issueToken);
      else await serve();
    });
  await program.parseAsync([...argv]);
}

if (require.main === module) {
  main(process.argv).catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof GatewayError || error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
