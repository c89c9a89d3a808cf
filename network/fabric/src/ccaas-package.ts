/**
 * Chaincode-as-a-service packages: metadata.json + code.tar.gz(connection.json), written byte-for-byte
 * reproducibly (fixed mtimes, sorted entries), so the package id (label:sha256) is the same on every run and
 * an existing approval stays valid after `clean`. `peer lifecycle chaincode package` cannot make this type.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** TLS fields connection.json may carry (Fabric's ccaas builder reads these names). */
export interface CcaasConnectionTls {
  readonly tls_required: boolean;
  readonly client_auth_required: boolean;
  /** PEM of the CA that issued the chaincode server's certificate. */
  readonly root_cert: string;
  /** PEM certificate the peer presents to the chaincode server. */
  readonly client_cert: string;
  /** PEM key of that certificate. */
  readonly client_key: string;
}

/** A package and the id the peer will give it. */
export interface CcaasPackage {
  readonly bytes: Buffer;
  /** `<label>:<sha256 of bytes>`. */
  readonly packageId: string;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function tarEntry(name: string, data: Buffer): Buffer {
  // The entry names are the package format's own (connection.json, code.tar.gz, metadata.json).
  if (Buffer.byteLength(name) > 99) throw new RangeError(`tar entry name too long: ${name}`);
  const header = Buffer.alloc(512, 0);
  header.write(name, 0, 'utf8');
  header.write(octal(0o644, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  header.write(octal(data.length, 12), 124, 'ascii');
  header.write(octal(0, 12), 136, 'ascii');
  header.fill(0x20, 148, 156);
  header.write('0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512, 0);
  return Buffer.concat([header, data, padding]);
}

/** A gzipped ustar archive of `files` (name → content), entries sorted by name, all mtimes 0. */
export function tarGz(files: Readonly<Record<string, Buffer | string>>): Buffer {
  const names = Object.keys(files).sort();
  const entries = names.map((name) => tarEntry(name, Buffer.from(files[name] ?? '')));
  return gzipSync(Buffer.concat([...entries, Buffer.alloc(1024, 0)]), { level: 9 });
}

/** What {@link ccaasPackage} packages. */
export type CcaasPackageRequest = Readonly<{
  /** e.g. `veriscan_1.0`. */
  label: string;
  /** host:port the peer dials. */
  address: string;
  /** TLS settings for the link; default: plaintext (`tls_required: false`). */
  connection?: CcaasConnectionTls;
}>;

/** The package for a chaincode server at `address`. */
export function ccaasPackage(request: CcaasPackageRequest): CcaasPackage {
  const { label, address, connection = {} } = request;
  const connectionJson = JSON.stringify(
    { address, dial_timeout: '10s', tls_required: false, ...connection },
    null,
    2,
  );
  const code = tarGz({ 'connection.json': `${connectionJson}\n` });
  const metadata = JSON.stringify({ type: 'ccaas', label });
  const bytes = tarGz({ 'code.tar.gz': code, 'metadata.json': metadata });
  const packageId = `${label}:${createHash('sha256').update(bytes).digest('hex')}`;
  return { bytes, packageId };
}
