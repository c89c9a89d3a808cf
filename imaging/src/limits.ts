/**
 * The limits a scan is held to before any decoder allocates for it. They are checked on the declared header
 * values (inspect-scan.ts), so a 100000 x 100000 PNG of a few hundred bytes is refused without libvips ever
 * sizing a buffer for it.
 */

/** Largest pixel count (width x height of one frame) decoded, far above any MRI slice. */
export const MAX_INPUT_PIXELS = 64 * 1024 * 1024;

/** What {@link inspectScan} and the decoders accept. */
export interface ScanLimits {
  /** Largest file, in bytes. */
  readonly maxBytes: number;
  /** Largest width x height of one frame. */
  readonly maxPixels: number;
  /** Most frames (DICOM NumberOfFrames, APNG frames); the decoders themselves read single frames only. */
  readonly maxFrames: number;
}

/** 64 MiB, {@link MAX_INPUT_PIXELS} pixels, one frame. */
export const DEFAULT_SCAN_LIMITS: ScanLimits = Object.freeze({
  maxBytes: 64 * 1024 * 1024,
  maxPixels: MAX_INPUT_PIXELS,
  maxFrames: 1,
});

/**
 * The defaults overridden by `limits`.
 * @throws RangeError when a given limit is not a positive safe integer (a programming error of the caller).
 */
export function resolveLimits(limits?: Partial<ScanLimits>): ScanLimits {
  const resolved: ScanLimits = {
    maxBytes: limits?.maxBytes ?? DEFAULT_SCAN_LIMITS.maxBytes,
    maxPixels: limits?.maxPixels ?? DEFAULT_SCAN_LIMITS.maxPixels,
    maxFrames: limits?.maxFrames ?? DEFAULT_SCAN_LIMITS.maxFrames,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`scan limit ${name} must be a positive safe integer, got ${String(value)}`);
    }
  }
  return resolved;
}
