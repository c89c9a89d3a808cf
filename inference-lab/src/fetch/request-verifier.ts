/**
 * Server side of the signed-request protocol (docs/lab-fetch.md): validates the caller's certificate
 * with Fabric's MSP rules (the devnet's X.509 MSP: chain to the org CA, NodeOU, key type), checks the
 * validity period, the certificate's `veriscan.job`, the signature, the timestamp window and nonce
 * reuse. One MSP is one institution, so the caller's member id and role come from the trusted MSP
 * entry, as the chaincode takes them from the MSP id; the certificate says only what the user does
 * inside it. Used by the lab to authenticate hospitals and regulators, and by a hospital (the test
 * blob server) to authenticate labs.
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import {
  JOBS_OF_ROLE,
  Msp,
  decodeCertAttributes,
  FABRIC_CA_ATTRIBUTES_OID,
  x509,
  type Job,
  type MemberRole,
} from '@veriscan/fabric-kit';
import type { MemberId } from '@veriscan/protocol';
import { SignedHeader, signedString } from './signed-request';

/**
 * The jobs that may sign requests for an institution of each kind. A lab fetches scans only through
 * its service identity (`operator`): its admin votes and manages the lab's record and has no reason
 * to download a patient's scan. A hospital's admin may read its own institution's results, and a
 * regulator's admin may read the lab's log, as their clinicians and auditors do.
 */
export const SIGNING_JOBS: Readonly<Record<MemberRole, readonly Job[]>> = {
  hospital: [...JOBS_OF_ROLE.hospital, 'admin'],
  lab: [...JOBS_OF_ROLE.lab],
  regulator: [...JOBS_OF_ROLE.regulator, 'admin'],
};

/** A trusted MSP: the one institution its certificates belong to. */
export interface TrustedMsp {
  readonly mspId: string;
  /** The MSP folder (`cacerts/`, `config.yaml`) that certifies the callers. */
  readonly mspDir: string;
  /** The institution's member id on the ledger. */
  readonly memberId: MemberId;
  /** The institution's kind; decides which jobs may sign ({@link SIGNING_JOBS}). */
  readonly role: MemberRole;
}

/** Who made a verified request. */
export interface VerifiedCaller {
  readonly mspId: string;
  /** The institution of the trusted MSP entry. */
  readonly memberId: MemberId;
  /** The institution's kind, from the trusted MSP entry. */
  readonly role: MemberRole;
  /** `veriscan.job` of the certificate. */
  readonly job: Job;
  /** The request id the caller signed (`""` when none). */
  readonly requestId: string;
  readonly certificateSha256: string;
}

/** Why a request was refused; the HTTP layer answers 401 for all of them. */
export type VerifyFailure =
  | 'missing-header'
  | 'unknown-msp'
  | 'untrusted-certificate'
  | 'certificate-not-valid-now'
  | 'wrong-job'
  | 'stale-timestamp'
  | 'replayed-nonce'
  | 'bad-signature';

export type Verification =
  | { readonly ok: true; readonly caller: VerifiedCaller }
  | { readonly ok: false; readonly reason: VerifyFailure; readonly message: string };

/** What the verifier reads from a request. */
export interface IncomingRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const NONCE = /^[0-9a-f]{32}$/;

function fail(reason: VerifyFailure, message: string): Verification {
  return { ok: false, reason, message };
}

function header(req: IncomingRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** Attributes of a Fabric CA certificate (the `1.2.3.4.5.6.7.8.1` extension), or `{}`. */
function certAttributes(certPem: string): Readonly<Record<string, string>> {
  const cert = new x509.X509Certificate(certPem);
  const ext = cert.getExtension(FABRIC_CA_ATTRIBUTES_OID);
  if (ext === null) return {};
  return decodeCertAttributes(new Uint8Array(ext.value));
}

/** A trusted MSP, loaded. */
interface LoadedMsp {
  readonly msp: Msp;
  readonly trusted: TrustedMsp;
}

/** Verifies signed requests against a fixed set of MSPs. */
export class RequestVerifier {
  readonly #msps: ReadonlyMap<string, LoadedMsp>;
  readonly #maxSkewMs: number;
  readonly #now: () => number;
  readonly #seen = new Map<string, number>();
  readonly #replayLimit: number;

  private constructor(
    msps: ReadonlyMap<string, LoadedMsp>,
    options: Readonly<{ maxSkewMs: number; now: () => number; replayLimit: number }>,
  ) {
    this.#msps = msps;
    this.#maxSkewMs = options.maxSkewMs;
    this.#now = options.now;
    this.#replayLimit = options.replayLimit;
  }

  /**
   * Loads the MSP folders.
   * @param options.maxSkewMs accepted distance between the caller's timestamp and this clock (default 60 s).
   * @throws MspError when a folder is not a usable MSP.
   */
  static async load(
    options: Readonly<{
      msps: readonly TrustedMsp[];
      maxSkewMs?: number;
      now?: () => number;
      replayLimit?: number;
    }>,
  ): Promise<RequestVerifier> {
    const map = new Map<string, LoadedMsp>();
    for (const t of options.msps)
      map.set(t.mspId, { msp: await Msp.load({ mspId: t.mspId, mspDir: t.mspDir }), trusted: t });
    return new RequestVerifier(map, {
      maxSkewMs: options.maxSkewMs ?? 60_000,
      now: options.now ?? Date.now,
      replayLimit: options.replayLimit ?? 100_000,
    });
  }

  /** Checks one request; never throws. */
  verify(req: IncomingRequest): Verification {
    const mspId = header(req, SignedHeader.mspId);
    const certB64 = header(req, SignedHeader.certificate);
    const requestId = header(req, SignedHeader.requestId) ?? '';
    const timestamp = header(req, SignedHeader.timestamp);
    const nonce = header(req, SignedHeader.nonce);
    const signature = header(req, SignedHeader.signature);
    if (
      mspId === undefined ||
      certB64 === undefined ||
      timestamp === undefined ||
      nonce === undefined ||
      signature === undefined
    )
      return fail('missing-header', 'the request is not signed (Veriscan-* headers missing)');
    const loaded = this.#msps.get(mspId);
    if (loaded === undefined) return fail('unknown-msp', `MSP ${mspId} may not call this endpoint`);

    const now = this.#now();
    const at = TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
    if (!Number.isFinite(at) || Math.abs(now - at) > this.#maxSkewMs)
      return fail('stale-timestamp', `timestamp ${timestamp} is not within ${this.#maxSkewMs} ms of now`);
    if (!NONCE.test(nonce)) return fail('missing-header', 'nonce must be 32 lowercase hex characters');

    const certPem = Buffer.from(certB64, 'base64').toString('utf8');
    let cert: X509Certificate;
    let attributes: Readonly<Record<string, string>>;
    try {
      loaded.msp.validateCertificate(certPem);
      cert = new X509Certificate(certPem);
      attributes = certAttributes(certPem);
    } catch (error) {
      return fail('untrusted-certificate', error instanceof Error ? error.message : String(error));
    }
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo))
      return fail('certificate-not-valid-now', `certificate valid ${cert.validFrom} to ${cert.validTo}`);
    const { memberId, role } = loaded.trusted;
    const allowed = SIGNING_JOBS[role];
    const job = allowed.find((j) => j === attributes['veriscan.job']);
    if (job === undefined)
      return fail(
        'wrong-job',
        `MSP ${mspId} (${role} ${memberId}) callers must carry veriscan.job ${allowed.join(' or ')}`,
      );

    const certificateSha256 = createHash('sha256').update(cert.raw).digest('hex');
    const message = signedString({
      method: req.method,
      path: req.path,
      requestId,
      timestamp,
      nonce,
      certificateSha256,
    });
    let valid = false;
    try {
      valid = verify(
        'sha256',
        Buffer.from(message, 'utf8'),
        cert.publicKey,
        Buffer.from(signature, 'base64'),
      );
    } catch {
      valid = false;
    }
    if (!valid) return fail('bad-signature', 'signature does not match the request and certificate');
    // Only a valid signature may consume a nonce, or anyone could burn a caller's nonces.
    if (!this.#remember(`${certificateSha256}:${nonce}`, at + this.#maxSkewMs, now))
      return fail('replayed-nonce', 'nonce already used');
    return { ok: true, caller: { mspId, memberId, role, job, requestId, certificateSha256 } };
  }

  #remember(key: string, expiresAt: number, now: number): boolean {
    if (this.#seen.has(key)) return false;
    if (this.#seen.size >= this.#replayLimit) {
      for (const [k, exp] of this.#seen) if (exp < now) this.#seen.delete(k);
      // Still full of live nonces: drop the oldest rather than grow without bound.
      const oldest = this.#seen.keys().next();
      if (this.#seen.size >= this.#replayLimit && oldest.done !== true) this.#seen.delete(oldest.value);
    }
    this.#seen.set(key, expiresAt);
    return true;
  }
}
