/**
 * Installed chaincodes as one peer sees them (the devnet's equivalent of an installed CaaS package with
 * its connection.json): `<installDir>/<name>.json` holds the package id and, per peer org, the address
 * of that org's own chaincode server — in Fabric each org runs the chaincode as a service for its own
 * peers, and the shim answers `getMspID()` from that server's `CORE_PEER_LOCALMSPID`. A peer connects
 * to its org's server only. Connections are made on first use and remade after the server restarts.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ChaincodeConnection, ChaincodeUnavailableError } from './handler';
import { DevnetError } from '../errors';

/** One deployed chaincode. */
export interface InstallInfo {
  readonly packageId: string;
  /** The address (`host:port`) of each peer org's chaincode server, by org key. */
  readonly servers: Readonly<Record<string, string>>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @throws DevnetError `CORRUPT_STATE` if `value` is not install info. */
export function parseInstallInfo(value: unknown): InstallInfo {
  if (!isRecord(value)) throw new DevnetError('CORRUPT_STATE', 'install info must be an object');
  const { packageId, servers } = value;
  if (typeof packageId !== 'string' || packageId === '')
    throw new DevnetError('CORRUPT_STATE', 'install info: packageId missing');
  if (!isRecord(servers)) {
    throw new DevnetError(
      'CORRUPT_STATE',
      'install info: no chaincode server per org (written by an older devnet); run `veriscan-devnet clean` and deploy again',
    );
  }
  const out: Record<string, string> = {};
  for (const [org, address] of Object.entries(servers)) {
    if (typeof address !== 'string' || !/^[^:]+:[0-9]+$/.test(address))
      throw new DevnetError('CORRUPT_STATE', `install info: bad server address for org ${org}`);
    out[org] = address;
  }
  return { packageId, servers: out };
}

/** The chaincodes one peer reaches: those of its org's chaincode servers. */
export class ChaincodeRegistry {
  readonly #installDir: string;
  readonly #orgKey: string;
  readonly #connections = new Map<
    string,
    { packageId: string; address: string; connection: ChaincodeConnection }
  >();
  /** Install info by chaincode name with the file's mtime, re-read only when the file changes. */
  readonly #installs = new Map<string, { mtimeMs: number; info: InstallInfo }>();

  /** @param orgKey the org key of the peer (its chaincode servers are the ones it dials). */
  constructor(installDir: string, orgKey: string) {
    this.#installDir = installDir;
    this.#orgKey = orgKey;
  }

  /** A ready connection to chaincode `name`. @throws ChaincodeUnavailableError */
  async connection(name: string): Promise<ChaincodeConnection> {
    const { packageId, servers } = this.#installInfo(name);
    const address = servers[this.#orgKey];
    if (address === undefined)
      throw new ChaincodeUnavailableError(`chaincode ${name} has no server for org ${this.#orgKey}`);
    const existing = this.#connections.get(name);
    if (
      existing !== undefined &&
      !existing.connection.closed &&
      existing.packageId === packageId &&
      existing.address === address
    ) {
      await existing.connection.ready;
      return existing.connection;
    }
    existing?.connection.close();
    const connection = new ChaincodeConnection({ packageId, address });
    this.#connections.set(name, { packageId, address, connection });
    try {
      await withTimeout(connection.ready, 5000, `could not connect to chaincode ${name} at ${address}`);
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
