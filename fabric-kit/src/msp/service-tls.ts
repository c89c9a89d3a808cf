/**
 * TLS for an institution's own HTTPS services (a hospital's scan exchange, a lab's API): a server
 * certificate issued by the org's TLS CA, as cryptogen issues a peer's, so another institution
 * authenticates the server with the same roots it already trusts for that org's peers; and the set of
 * every org's TLS CA certificates, which a client trusts for the consortium's services.
 */
import { readFileSync } from 'node:fs';
import { CertificateAuthority, generateKey } from './certificate-authority.js';
import type { CryptoLayout, OrgMaterial } from './layout.js';
import { x509 } from './x509.js';

/** A server certificate, its key and the CA that issued it (PEM). */
export interface ServiceTls {
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPem: string;
}

/**
 * Issues a TLS server certificate for `names` (DNS names or IP addresses; the first is the CN) from the
 * TLS CA of `org`, whose key must be readable (the institution runs the service itself).
 */
export async function issueServiceTls(
  org: Pick<OrgMaterial, 'domain' | 'tlsCaCertFile' | 'tlsCaKeyFile'>,
  names: readonly string[],
): Promise<ServiceTls> {
  const caPem = readFileSync(org.tlsCaCertFile, 'utf8');
  const ca = await CertificateAuthority.fromPem({
    certPem: caPem,
    keyPem: readFileSync(org.tlsCaKeyFile, 'utf8'),
  });
  const key = await generateKey();
  const cert = await ca.issue({
    subject: { organization: org.domain, commonName: names[0] ?? org.domain },
    publicKey: key.keys.publicKey,
    keyUsages: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
    extendedKeyUsages: [x509.ExtendedKeyUsage.serverAuth],
    subjectAltNames: names,
  });
  return { certPem: cert.toString('pem'), keyPem: key.pkcs8Pem, caPem };
}

/** Every org's TLS CA certificate (PEM), in layout order: what a client trusts for the consortium. */
export function consortiumTlsRoots(layout: Pick<CryptoLayout, 'orgs'>): string[] {
  return layout.orgs.map((org) => readFileSync(org.tlsCaCertFile, 'utf8'));
}
