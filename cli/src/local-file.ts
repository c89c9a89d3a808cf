/** The endpoints and demo tokens `npm start` writes to `$VERISCAN_HOME/local.json`. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { veriscanPaths } from '@veriscan/fabric-kit';
import { CliError, ExitCode } from './errors';

export interface Endpoint {
  readonly url: string;
  readonly token: string;
}

export interface LocalFile {
  readonly hospitals: Readonly<Record<string, Endpoint>>;
  readonly regulator: Endpoint;
}

function endpoint(value: unknown, what: string): Endpoint {
  if (typeof value === 'object' && value !== null) {
    const { url, token } = value as Record<string, unknown>;
    if (typeof url === 'string' && typeof token === 'string') return { url, token };
  }
  throw new CliError(ExitCode.CONFIG, `${what} in local.json has no url and token`);
}

/** Reads local.json (`file`, else `$VERISCAN_LOCAL`, else `$VERISCAN_HOME/local.json`). */
export function readLocalFile(file?: string): LocalFile {
  const path = file ?? process.env.VERISCAN_LOCAL ?? join(veriscanPaths().stateDir, 'local.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(
      ExitCode.CONFIG,
      `cannot read ${path} (${error instanceof Error ? error.message : String(error)}); is \`npm start\` running?`,
    );
  }
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const hospitals = (typeof o.hospitals === 'object' && o.hospitals !== null ? o.hospitals : {}) as Record<
    string,
    unknown
  >;
  return {
    hospitals: Object.fromEntries(
      Object.entries(hospitals).map(([id, v]) => [id, endpoint(v, `hospitals.${id}`)]),
    ),
    regulator: endpoint(o.regulator, 'regulator'),
  };
}
