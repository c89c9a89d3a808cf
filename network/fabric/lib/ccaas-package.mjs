// Chaincode-as-a-service packages: metadata.json + code.tar.gz(connection.json), written byte-for-byte
// reproducibly (fixed mtimes, sorted entries), so the package id (label:sha256) is the same on every run and
// an existing approval stays valid after `clean`. `peer lifecycle chaincode package` cannot make this type.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

function octal(value, width) {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function tarEntry(name, data) {
  if (Buffer.byteLength(name) > 99) throw new Error(`tar entry name too long: ${name}`);
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

/** A gzipped ustar archive of `files` ({ name: Buffer|string }). */
export function tarGz(files) {
  const names = Object.keys(files).sort();
  const entries = names.map((name) => tarEntry(name, Buffer.from(files[name])));
  return gzipSync(Buffer.concat([...entries, Buffer.alloc(1024, 0)]), { level: 9 });
}

/**
 * The package for a chaincode server at `address`. `connection` may add TLS fields
 * (`tls_required`, `client_auth_required`, `root_cert`, `client_key`, `client_cert`).
 */
export function ccaasPackage({ label, address, connection = {} }) {
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
