/**
 * SHA-256 entry points tuned for the many small inputs of Merkle trees. Node's one-shot `crypto.hash` costs
 * about a third of `createHash().update().digest()` for 32-65 bytes, which is most of the cost of proofs and
 * batch building. It exists from Node 20.12; older runtimes (some Fabric chaincode images) use the fallback.
 */
import * as nodeCrypto from 'node:crypto';

const oneShotHash = (nodeCrypto as Partial<typeof nodeCrypto>).hash;

/** Inputs up to this size are joined and hashed in one call; larger ones are streamed to avoid the copy. */
const JOIN_LIMIT = 64 * 1024;

/** SHA-256 of `data`. */
export const sha256: (data: Uint8Array) => Buffer =
  oneShotHash === undefined
    ? (data) => nodeCrypto.createHash('sha256').update(data).digest()
    : (data) => oneShotHash('sha256', data, 'buffer');

/** SHA-256 of the concatenation of `parts`. */
export function sha256Parts(parts: readonly Uint8Array[]): Buffer {
  let total = 0;
  for (const part of parts) total += part.length;
  if (total > JOIN_LIMIT) {
    const hash = nodeCrypto.createHash('sha256');
    for (const part of parts) hash.update(part);
    return hash.digest();
  }
  const joined = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return sha256(joined);
}
