/**
 * TLS between each peer and its org's chaincode server (mutual): the launcher issues, from the org's own TLS
 * CA in .veriscan/crypto, a server certificate for the chaincode server (SANs: 127.0.0.1, localhost and the
 * compose host name chaincode.<org domain>) and a client certificate the peer presents (it travels in the
 * package's connection.json, as Fabric's chaincode-as-a-service expects). Reissued whenever the CA changed.
 * @peculiar/x509 comes from fabric-kit, the one place that loads it (with its Reflect polyfill and
 * WebCrypto provider).
 */
import { X509Certificate as NodeX509, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peerHost, x509 } from '@veriscan/fabric-kit';
import type { CcaasConnectionTls } from './ccaas-package';
import { peerOrgMaterial } from './crypto';
import { FabricNetworkError } from './errors';
import { launcherCryptoLayout, type FabricPeerOrg, type LauncherPaths } from './topology';

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** The files of one org's chaincode link. */
export interface ChaincodeTlsFiles {
  /** The org's TLS CA certificate: the chaincode server accepts only clients it issued. */
  readonly caFile: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

/** One org's chaincode TLS material: its files and the fields connection.json carries. */
export interface ChaincodeTls {
  readonly files: ChaincodeTlsFiles;
  readonly connection: CcaasConnectionTls;
}

interface IssueRequest {
  readonly caCert: x509.X509Certificate;
  readonly caKey: webcrypto.CryptoKey;
  readonly commonName: string;
  readonly organization: string;
  readonly usage: string;
  readonly names: readonly x509.JsonGeneralName[];
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** True when `certFile` exists and was signed by the CA certificate in `caFile`. */
function issuedBy(certFile: string, caFile: string): boolean {
  if (!existsSync(certFile)) return false;
  try {
    const cert = new NodeX509(readFileSync(certFile));
    const ca = new NodeX509(readFileSync(caFile));
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

function subjectKeyIdOf(caCert: x509.X509Certificate): string {
  const ski = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski === null)
    throw new FabricNetworkError(
      'INCOMPLETE_CRYPTO',
      `TLS CA ${caCert.subject} has no subject key identifier`,
    );
  return ski.keyId;
}

async function issue(request: IssueRequest): Promise<{ certPem: string; keyPem: string }> {
  const { caCert, caKey, commonName, organization, usage, names } = request;
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(16)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    subject: `CN=${commonName}, O=${organization}`,
    issuer: caCert.subjectName,
    notBefore: new Date(now - 60 * 60 * 1000),
    notAfter: new Date(now + 2 * 365 * 24 * 60 * 60 * 1000),
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([usage], false),
      // The CA's own subject key id (cryptogen-style CAs derive it with SHA-256, not SHA-1): verifiers
      // match it against this certificate's authority key id to find the issuer.
      new x509.AuthorityKeyIdentifierExtension(subjectKeyIdOf(caCert), false),
      ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension([...names], false)] : []),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem'), keyPem: pem('PRIVATE KEY', pkcs8) };
}

/**
 * Server and client TLS material for `org`'s chaincode link in `dir`, issued by the org's TLS CA; kept
 * while the CA still signs it, reissued otherwise.
 * @returns file paths plus the PEM strings connection.json needs.
 */
export async function ensureChaincodeTls(
  paths: LauncherPaths,
  org: FabricPeerOrg,
  dir: string,
): Promise<ChaincodeTls> {
  const orgMaterial = peerOrgMaterial(launcherCryptoLayout(paths), org);
  const caFile = orgMaterial.tlsCaCertFile;
  const files: ChaincodeTlsFiles = {
    caFile,
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
  };
  if (
    !issuedBy(files.serverCert, caFile) ||
    !issuedBy(files.clientCert, caFile) ||
    !existsSync(files.serverKey) ||
    !existsSync(files.clientKey)
  ) {
    const caCert = new x509.X509Certificate(readFileSync(caFile, 'utf8'));
    const der = createPrivateKey(readFileSync(orgMaterial.tlsCaKeyFile)).export({
      format: 'der',
      type: 'pkcs8',
    });
    const caKey = await webcrypto.subtle.importKey('pkcs8', der, EC, false, ['sign']);
    const host = `chaincode.${org.domain}`;
    const server = await issue({
      caCert,
      caKey,
      commonName: host,
      organization: org.domain,
      usage: x509.ExtendedKeyUsage.serverAuth,
      names: [
        { type: 'dns', value: host },
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ],
    });
    const client = await issue({
      caCert,
      caKey,
      commonName: peerHost(org),
      organization: org.domain,
      usage: x509.ExtendedKeyUsage.clientAuth,
      names: [],
    });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(files.serverCert, server.certPem);
    writeFileSync(files.serverKey, server.keyPem, { mode: 0o600 });
    writeFileSync(files.clientCert, client.certPem);
    writeFileSync(files.clientKey, client.keyPem, { mode: 0o600 });
  }
  return {
    files,
    connection: {
      tls_required: true,
      client_auth_required: true,
      root_cert: readFileSync(caFile, 'utf8'),
      client_cert: readFileSync(files.clientCert, 'utf8'),
      client_key: readFileSync(files.clientKey, 'utf8'),
    },
  };
}
