/**
 * Installed chaincodes of one peer (the devnet's equivalent of an installed CaaS package with its
 * connection.json): `<installDir>/<name>.json` holds `{ packageId, address }`. Connections are made
 * on first use and remade after the chaincode server restarts.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ChaincodeConnection, ChaincodeUnavailableError } from './handler';
import { DevnetError } from '../errors';

export interface InstallInfo {
  readonly packageId: string;
  readonly address: string;
}

export function parseInstallInfo(value: unknown): InstallInfo {
  if (typeof value !== 'object' || value === null)
    throw new DevnetError('CORRUPT_STATE', 'install info must be an object');
  const { packageId, address } = value as Record<string, unknown>;
  if (typeof packageId !== 'string' || packageId === '')
    throw new DevnetError('CORRUPT_STATE', 'install info: packageId missing');
  if (typeof address !== 'string' || address === '')
    throw new DevnetError('CORRUPT_STATE', 'install info: address missing');
  return { packageId, address };
}

export class ChaincodeRegistry {
  readonly #installDir: string;
  readonly #connections = new Map<string, { info: InstallInfo; connection: ChaincodeConnection }>();
  /** Install info by chaincode name with the file's mtime, re-read only when the file changes. */
  readonly #installs = new Map<string, { mtimeMs: number; info: InstallInfo }>();

  constructor(installDir: string) {
    this.#installDir = installDir;
  }

  /** A ready connection to chaincode `name`. @throws ChaincodeUnavailableError */
  async connection(name: string): Promise<ChaincodeConnection> {
    const info = this.#installInfo(name);
    const existing = this.#connections.get(name);
    if (
      existing !== undefined &&
      !existing.connection.closed &&
      existing.info.packageId === info.packageId &&
      existing.info.address === info.address
    ) {
      await existing.connection.ready;
      return existing.connection;
    }
    existing?.connection.close();
    const connection = new ChaincodeConnection(info);
    this.#connections.set(name, { info, connection });
    try {
      await withTimeout(connection.ready, 5000, `could not connect to chaincode ${name} at ${info.address}`);
    } catch (err) {
      connection.close();
      this.#connections.delete(name);
      throw err instanceof ChaincodeUnavailableError ? err : new ChaincodeUnavailableError(String(err));
    }
    return connection;
  }

  #installInfo(name: string): InstallInfo {
    const file = join(this.#installDir, `${name}.json`);
    const mtimeMs = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (mtimeMs === undefined)
      throw new ChaincodeUnavailableError(`chaincode ${name} is not installed on this peer`);
    const cached = this.#installs.get(name);
    if (cached?.mtimeMs === mtimeMs) return cached.info;
    const info = parseInstallInfo(JSON.parse(readFileSync(file, 'utf8')));
    this.#installs.set(name, { mtimeMs, info });
    return info;
  }

  close(): void {
    for (const { connection } of this.#connections.values()) connection.close();
    this.#connections.clear();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new ChaincodeUnavailableError(message));
    }, ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
