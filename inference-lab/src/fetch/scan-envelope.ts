/**
 * The hospital's answer to a scan fetch (docs/lab-fetch.md): JSON carrying the de-identified scan
 * file, its media type, the tile size the hospital committed with, and the request's salt.
 */
import { isRequestId, isSalt, MAX_TILE_SIZE, type RequestId, type Salt } from '@veriscan/protocol';
import { LabError, LabErrorCode } from '../errors';

/** Media type of the envelope. */
export const SCAN_ENVELOPE_MEDIA_TYPE = 'application/vnd.veriscan.scan+json';

/** Scan file types a hospital may send (ARCHITECTURE.md §2 step 1). */
export const SCAN_MEDIA_TYPES = ['image/png', 'image/jpeg', 'application/dicom'] as const;
export type ScanMediaType = (typeof SCAN_MEDIA_TYPES)[number];

/** A parsed envelope. The salt is secret: never log it, never store it. */
export interface ScanEnvelope {
  readonly version: 1;
  readonly requestId: RequestId;
  readonly mediaType: ScanMediaType;
  readonly tileSize: number;
  readonly salt: Salt;
  readonly scan: Uint8Array;
}

const KEYS = ['mediaType', 'requestId', 'salt', 'scan', 'tileSize', 'version'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parses an envelope from `unknown`. @throws Error naming the first bad member. */
export function parseScanEnvelope(value: unknown): ScanEnvelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new LabError(LabErrorCode.FETCH_MALFORMED, 'envelope must be a JSON object');
  const record = value as Readonly<Record<string, unknown>>;
  const keys = Object.keys(record).sort();
  if (keys.length !== KEYS.length || keys.some((k, i) => k !== KEYS[i]))
    throw new LabError(LabErrorCode.FETCH_MALFORMED, `envelope members must be exactly ${KEYS.join(', ')}`);
  const { version, requestId, mediaType, tileSize, salt, scan } = record;
  if (version !== 1) throw new LabError(LabErrorCode.FETCH_MALFORMED, 'envelope.version must be 1');
  if (!isRequestId(requestId))
    throw new LabError(LabErrorCode.FETCH_MALFORMED, 'envelope.requestId must be a request id');
  const media = SCAN_MEDIA_TYPES.find((m) => m === mediaType);
  if (media === undefined)
    throw new LabError(
      LabErrorCode.FETCH_MALFORMED,
      `envelope.mediaType must be one of ${SCAN_MEDIA_TYPES.join(', ')}`,
    );
  if (typeof tileSize !== 'number' || !Number.isInteger(tileSize) || tileSize < 1 || tileSize > MAX_TILE_SIZE)
    throw new LabError(
      LabErrorCode.FETCH_MALFORMED,
      `envelope.tileSize must be an integer in 1..${MAX_TILE_SIZE}`,
    );
  if (!isSalt(salt))
    throw new LabError(LabErrorCode.FETCH_MALFORMED, 'envelope.salt must be 64 lowercase hex characters');
  if (typeof scan !== 'string' || scan.length === 0 || scan.length % 4 !== 0 || !BASE64.test(scan))
    throw new LabError(LabErrorCode.FETCH_MALFORMED, 'envelope.scan must be non-empty standard base64');
  return {
    version: 1,
    requestId,
    mediaType: media,
    tileSize,
    salt,
    scan: new Uint8Array(Buffer.from(scan, 'base64')),
  };
}

/** Builds the JSON text of an envelope (the hospital side; tests and the test blob server). */
export function encodeScanEnvelope(envelope: Omit<ScanEnvelope, 'version'>): string {
  return JSON.stringify({
    version: 1,
    requestId: envelope.requestId,
    mediaType: envelope.mediaType,
    tileSize: envelope.tileSize,
    salt: envelope.salt,
    scan: Buffer.from(envelope.scan).toString('base64'),
  });
}
