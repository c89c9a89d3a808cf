/**
 * A hospital upload, from bytes to a durable request: fields checked, the idempotency key honoured, limits
 * checked before any decoding, DICOM de-identified (PS3.15 basic profile, imaging package) and raster
 * metadata stripped, canonical pixels decoded by the same code the lab runs, salted commitments computed,
 * the de-identified file stored content-addressed, and the request recorded as `accepted` in one local
 * transaction. The ledger submission happens after the answer (outbox, submitter.ts), so an accepted upload
 * survives a crash of the gateway.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { decodeScan, deidentifyDicom, inspectScan, type ScanLimits } from '@veriscan/imaging';
import { commitScan, newSalt, type PixelImage } from '@veriscan/protocol';
import { z } from 'zod';
import { GatewayError, GatewayErrorCode } from '../errors';
import type { BlobStore } from '../store/blob-store';
import type { ScanRow, ScanStore } from '../store/scan-store';
import { stripJpegMetadata, stripPngMetadata } from './raster-metadata';

/** The tile size of every commitment this gateway makes (docs/pixel-trace.md §4). */
export const TILE_SIZE = 32;

export const Priority = z.enum(['routine', 'urgent', 'stat']);

/** The form fields of `POST /api/v1/scans`, validated. */
export const UploadFields = z
  .object({
    model: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9._-]{0,63}@(approved|[0-9A-Za-z.+-]{1,64})$/,
        'model must be <model-id>@<version|approved>',
      )
      .meta({ description: 'The model to run, e.g. `brain-tissue@approved` or `brain-tissue@1.0.0`.' }),
    priority: Priority.default('routine'),
    patientRef: z
      .string()
      .regex(/^[\x20-\x7e]{1,128}$/, 'patientRef must be 1-128 printable ASCII characters')
      .optional()
      .meta({ description: "The hospital's own reference; kept only in this gateway's local database." }),
  })
  .strict();
export type UploadFields = z.infer<typeof UploadFields>;

export const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'Idempotency-Key must be 1-128 of A-Za-z0-9._:-');

/** A request id: `rq-` and 32 lowercase hex (random; says nothing about the scan or the time). */
export function newRequestId(): string {
  return `rq-${randomBytes(16).toString('hex')}`;
}
export const REQUEST_ID_PATTERN = /^rq-[0-9a-f]{32}$/;

/** An upload as the HTTP layer hands it over. */
export interface Upload {
  readonly bytes: Uint8Array;
  /** The multipart part's declared type, checked against the bytes. */
  readonly declaredType: string | undefined;
  readonly fields: UploadFields;
  readonly idempotencyKey: string | undefined;
  readonly userName: string;
}

export interface IntakeDeps {
  readonly store: ScanStore;
  readonly blobs: BlobStore;
  readonly limits: ScanLimits;
  /** Keys the upload fingerprint (see {@link fingerprintOf}). */
  readonly fingerprintKey: Buffer;
  /** Checks the model reference on the ledger; throws (NOT_FOUND, FAILED_PRECONDITION) when unusable. */
  readonly checkModel: (modelRef: string) => Promise<void>;
}

/** Outcome: the stored request, and whether it was made now or found by its idempotency key. */
export interface Accepted {
  readonly row: ScanRow;
  readonly replayed: boolean;
}

/**
 * Keyed digest of what an upload asks for, to tell a retried upload from a different one under the same
 * idempotency key. Keyed (HMAC with a local secret), so it is no unsalted digest of the scan.
 */
function fingerprintOf(key: Buffer, upload: Upload): string {
  return createHmac('sha256', key)
    .update(JSON.stringify([upload.fields.model, upload.fields.priority, upload.fields.patientRef ?? null]))
    .update(upload.bytes)
    .digest('hex');
}

function samePixels(a: PixelImage, b: PixelImage): boolean {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels || a.bitDepth !== b.bitDepth)
    return false;
  const x = Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const y = Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  return x.equals(y);
}

/** Removes what identifies a patient from the file; returns the file to store and the UID replacements. */
function deidentify(
  bytes: Uint8Array,
  mediaType: string,
): { file: Uint8Array; uids: readonly { tag: string; original: string; replacement: string }[] } {
  if (mediaType === 'application/dicom') {
    const result = deidentifyDicom(bytes);
    return { file: result.file, uids: result.uidReplacements };
  }
  const file = mediaType === 'image/png' ? stripPngMetadata(bytes) : stripJpegMetadata(bytes);
  return { file, uids: [] };
}

export class Intake {
  readonly #deps: IntakeDeps;

  constructor(deps: IntakeDeps) {
    this.#deps = deps;
  }

  /**
   * Accepts one upload.
   * @throws GatewayError (CONFLICT: idempotency key reused for another upload), ImagingError (limits,
   * decoding, de-identification), LedgerError (model unknown or not approved).
   */
  async accept(upload: Upload): Promise<Accepted> {
    const { store, blobs, limits } = this.#deps;
    const fingerprint = fingerprintOf(this.#deps.fingerprintKey, upload);
    if (upload.idempotencyKey !== undefined) {
      const earlier = store.byIdempotencyKey(upload.userName, upload.idempotencyKey);
      if (earlier !== undefined) {
        if (earlier.fingerprint !== fingerprint)
          throw new GatewayError(
            GatewayErrorCode.CONFLICT,
            'this Idempotency-Key was used for a different upload; use a new key',
          );
        return { row: earlier, replayed: true };
      }
    }
    const info = inspectScan(upload.bytes, limits);
    // decodeScan checks a declared type against the bytes (415 on a mismatch).
    const declared =
      upload.declaredType === undefined || upload.declaredType === 'application/octet-stream'
        ? undefined
        : upload.declaredType;
    const original = await decodeScan(upload.bytes, declared, limits);
    // The ledger is asked only about uploads that decode.
    await this.#deps.checkModel(upload.fields.model);
    const { file, uids } = deidentify(upload.bytes, info.mediaType);
    const pixels = await decodeScan(file, info.mediaType, limits);
    if (!samePixels(original, pixels))
      throw new GatewayError(
        GatewayErrorCode.UNPROCESSABLE,
        'removing identifying metadata changed the decoded pixels; the scan was not stored',
      );
    const salt = newSalt((n) => new Uint8Array(randomBytes(n)));
    const { scanCommitment, tileRootCommitment } = commitScan(pixels, salt, TILE_SIZE);
    const scanSha256 = await blobs.put(file);
    const requestId = newRequestId();
    try {
      store.insert(
        {
          requestId,
          userName: upload.userName,
          idempotencyKey: upload.idempotencyKey ?? null,
          fingerprint,
          modelRef: upload.fields.model,
          priority: upload.fields.priority,
          mediaType: info.mediaType,
          scanSha256,
          salt,
          tileSize: TILE_SIZE,
          scanCommitment,
          tileRootCommitment,
          width: pixels.width,
          height: pixels.height,
          bitDepth: pixels.bitDepth,
        },
        { patientRef: upload.fields.patientRef ?? null, uids },
      );
    } catch (error) {
      // Two concurrent uploads with one key: the other won; answer with its request.
      const earlier =
        upload.idempotencyKey === undefined
          ? undefined
          : store.byIdempotencyKey(upload.userName, upload.idempotencyKey);
      if (earlier?.fingerprint === fingerprint) return { row: earlier, replayed: true };
      throw error;
    }
    const row = store.get(requestId);
    if (row === undefined)
      throw new GatewayError(GatewayErrorCode.INVALID_STATE, `request ${requestId} vanished`);
    return { row, replayed: false };
  }
}
