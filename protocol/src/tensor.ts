/**
 * The preprocessed input tensor's digest. The tensor is what the model actually saw, so a verifier can tell
 * "the preprocessing differed" from "the model run differed" when a re-run disagrees.
 */
import { float32ToBigEndian, type Sha256Hex, u32be, u8 } from './bytes.js';
import { invalidInput } from './errors.js';
import { DomainTag, taggedHash } from './tagged-hash.js';

/** Most dimensions a tensor may have. */
export const MAX_TENSOR_RANK = 8;

/** A float32 tensor in row-major (C) order, as onnxruntime takes it. */
export interface Tensor {
  /** Dimensions, outermost first; each at least 1. */
  readonly shape: readonly number[];
  /** Values; length must be the product of `shape`. */
  readonly data: Float32Array;
}

/**
 * `SHA-256("veriscan/tensor/v1" || 0x00 || u8 rank || u32 dims... || float32 values big-endian)`. Values are
 * hashed bit for bit (NaN payloads included): the point is to detect any difference, not to compare numbers.
 * @throws ProtocolError `INVALID_INPUT` on a bad shape or a length that does not match it.
 */
export function hashTensor(tensor: Tensor): Sha256Hex {
  checkTensorShape(tensor.shape, 'tensor.shape');
  const size = tensor.shape.reduce((a, b) => a * b, 1);
  if (tensor.data.length !== size) {
    invalidInput(
      'tensor.data',
      `must hold ${size} values for shape [${tensor.shape.join(', ')}], got ${tensor.data.length}`,
    );
  }
  const dims = tensor.shape.map((d, i) => u32be(d, `tensor.shape[${i}]`));
  return taggedHash(
    DomainTag.tensor,
    u8(tensor.shape.length, 'tensor.shape.length'),
    ...dims,
    float32ToBigEndian(tensor.data),
  );
}

/**
 * Checks a tensor shape: 1..8 dimensions, each an integer in [1, 2^32 - 1].
 * @throws ProtocolError `INVALID_INPUT` naming the offending dimension.
 */
export function checkTensorShape(shape: readonly number[], path: string): void {
  if (shape.length < 1 || shape.length > MAX_TENSOR_RANK) {
    invalidInput(path, `must have 1 to ${MAX_TENSOR_RANK} dimensions, got ${shape.length}`);
  }
  shape.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1 || d > 0xffffffff)
      invalidInput(`${path}[${i}]`, `must be a positive integer, got ${d}`);
  });
}
