/**
 * The canonical, quantised model output and its digest. The digest is over a byte layout rather than JSON
 * so that a 512 x 512 class map hashes as 256 KiB of bytes, not as a million-element JSON array.
 */
import { type Sha256Hex, u16be, u32be, u8 } from './bytes.js';
import { invalidInput } from './errors.js';
import { MAX_CLASSES, MAX_SCORE_E4, MIN_SCORE_E4 } from './quantize.js';
import { DomainTag, taggedHash } from './tagged-hash.js';

/** Most scores an output may carry. */
export const MAX_SCORES = 4096;

/** A segmentation result: one class index per pixel, row-major. */
export interface ClassMask {
  readonly width: number;
  readonly height: number;
  /** Number of classes the model distinguishes, 1..256; every entry of `data` is below it. */
  readonly classes: number;
  /** `width * height` class indices. */
  readonly data: Uint8Array;
}

/** The canonical form of one inference output: an optional class map and zero or more quantised scores. */
export interface QuantisedOutput {
  readonly mask: ClassMask | null;
  /** Scores in units of 1e-4 (see `quantizeScore`), in the model's output order. */
  readonly scoresE4: readonly number[];
}

/**
 * Checks an output against the layout's limits.
 * @throws ProtocolError `INVALID_INPUT` naming the offending field.
 */
export function checkQuantisedOutput(output: QuantisedOutput): void {
  const { mask, scoresE4 } = output;
  if (mask === null && scoresE4.length === 0) invalidInput('output', 'must have a mask, scores, or both');
  if (mask !== null) {
    if (
      !Number.isInteger(mask.width) ||
      mask.width < 1 ||
      !Number.isInteger(mask.height) ||
      mask.height < 1
    ) {
      invalidInput(
        'output.mask',
        `width and height must be positive integers, got ${mask.width} x ${mask.height}`,
      );
    }
    if (!Number.isInteger(mask.classes) || mask.classes < 1 || mask.classes > MAX_CLASSES) {
      invalidInput('output.mask.classes', `must be an integer in [1, ${MAX_CLASSES}], got ${mask.classes}`);
    }
    if (mask.data.length !== mask.width * mask.height) {
      invalidInput(
        'output.mask.data',
        `must hold ${mask.width * mask.height} class indices, got ${mask.data.length}`,
      );
    }
    const tooLarge = mask.data.findIndex((c) => c >= mask.classes);
    if (tooLarge >= 0)
      invalidInput(
        `output.mask.data[${tooLarge}]`,
        `class ${mask.data[tooLarge] ?? -1} is not below ${mask.classes}`,
      );
  }
  if (scoresE4.length > MAX_SCORES) invalidInput('output.scoresE4', `must have at most ${MAX_SCORES} scores`);
  scoresE4.forEach((s, i) => {
    if (!Number.isInteger(s) || s < MIN_SCORE_E4 || s > MAX_SCORE_E4) {
      invalidInput(`output.scoresE4[${i}]`, `must be an int32, got ${s}`);
    }
  });
}

/**
 * `SHA-256("veriscan/output/v1" || 0x00 || u8 hasMask || [u32 width || u32 height || u16 classes || mask]
 * || u32 scoreCount || i32 scores...)`, all integers big-endian.
 * @throws ProtocolError `INVALID_INPUT` when the output breaks {@link checkQuantisedOutput}.
 */
export function hashOutput(output: QuantisedOutput): Sha256Hex {
  checkQuantisedOutput(output);
  const { mask, scoresE4 } = output;
  const parts: Uint8Array[] = [u8(mask === null ? 0 : 1, 'hasMask')];
  if (mask !== null) {
    parts.push(
      u32be(mask.width, 'width'),
      u32be(mask.height, 'height'),
      u16be(mask.classes, 'classes'),
      mask.data,
    );
  }
  const scores = Buffer.allocUnsafe(4 + 4 * scoresE4.length);
  scores.writeUInt32BE(scoresE4.length, 0);
  scoresE4.forEach((s, i) => scores.writeInt32BE(s, 4 + 4 * i));
  parts.push(scores);
  return taggedHash(DomainTag.output, ...parts);
}
