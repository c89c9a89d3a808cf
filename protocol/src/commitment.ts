/**
 * Salted commitments: what goes on the ledger instead of a bare content hash. A bare scan hash would let
 * anyone holding a scan test whether it was submitted; `H(tag || salt || hash)` with a fresh 32-byte salt
 * per request cannot be tested without the salt, which only the hospital, the assigned lab and (on request)
 * an auditor hold. Deleting the salt and the payload later leaves every proof valid but unlinkable to the scan.
 */
import { type Sha256Hex, equalBytes, hexToBytes, isSha256Hex, sha256HexToBytes } from './bytes.js';
import { invalidInput } from './errors.js';
import { DomainTag, taggedHash } from './tagged-hash.js';

declare const saltBrand: unique symbol;

/** A 32-byte commitment salt as 64 lowercase hex characters. Secret: never put it in a ledger record or log. */
export type Salt = string & { readonly [saltBrand]: true };

/** Bytes in a salt. */
export const SALT_BYTES = 32;

/**
 * Where salts come from, injected so that this package stays deterministic: pass `crypto.randomBytes` in
 * production and a seeded function in tests. Chaincode must never make salts (endorsers would disagree).
 */
export type RandomSource = (size: number) => Uint8Array;

/** True when `value` has the form of a salt (64 lowercase hex characters). */
export function isSalt(value: unknown): value is Salt {
  return isSha256Hex(value);
}

/**
 * A fresh salt from `random`.
 * @throws ProtocolError `INVALID_INPUT` when the source returns the wrong number of bytes or all zeros
 * (the tell-tale of an uninitialised buffer, which would make every commitment guessable).
 */
export function newSalt(random: RandomSource): Salt {
  const bytes = random(SALT_BYTES);
  if (bytes.length !== SALT_BYTES)
    invalidInput('salt', `random source returned ${bytes.length} bytes, expected ${SALT_BYTES}`);
  if (bytes.every((b) => b === 0)) invalidInput('salt', 'random source returned only zero bytes');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') as Salt;
}

/** `SHA-256("veriscan/commit/scan/v1" || 0x00 || salt || pixelsHash)`: the scan commitment on the ledger. */
export function scanCommitment(salt: Salt, pixelsHash: Sha256Hex): Sha256Hex {
  return commit(DomainTag.scanCommitment, salt, pixelsHash);
}

/** `SHA-256("veriscan/commit/tile-root/v1" || 0x00 || salt || tileRoot)`: the tile-root commitment. */
export function tileRootCommitment(salt: Salt, tileRoot: Sha256Hex): Sha256Hex {
  return commit(DomainTag.tileRootCommitment, salt, tileRoot);
}

/**
 * `SHA-256("veriscan/commit/output/v1" || 0x00 || salt || outputHash)`: what a receipt carries instead of the
 * output hash, because anyone holding the scan and the approved model could otherwise recompute the output
 * hash and test whether the scan was submitted.
 */
export function outputCommitment(salt: Salt, outputHash: Sha256Hex): Sha256Hex {
  return commit(DomainTag.outputCommitment, salt, outputHash);
}

/**
 * `SHA-256("veriscan/commit/tensor/v2" || 0x00 || salt || tensorHash)`: what the trace carries instead of the
 * tensor hash, which is a function of the scan alone (protocol version 2).
 */
export function tensorCommitment(salt: Salt, tensorHash: Sha256Hex): Sha256Hex {
  return commit(DomainTag.tensorCommitment, salt, tensorHash);
}

/** The kinds of commitment, for {@link verifyCommitment}. */
export type CommitmentKind = 'scan' | 'tileRoot' | 'tensor' | 'output';

const kindTags = {
  scan: DomainTag.scanCommitment,
  tileRoot: DomainTag.tileRootCommitment,
  tensor: DomainTag.tensorCommitment,
  output: DomainTag.outputCommitment,
} as const satisfies Record<CommitmentKind, DomainTag>;

/** True when `commitment` opens to `hash` under `salt` for the given kind. */
export function verifyCommitment(
  kind: CommitmentKind,
  commitment: Sha256Hex,
  salt: Salt,
  hash: Sha256Hex,
): boolean {
  const expected = commit(kindTags[kind], salt, hash);
  return equalBytes(sha256HexToBytes(expected), sha256HexToBytes(commitment));
}

function commit(tag: DomainTag, salt: Salt, hash: Sha256Hex): Sha256Hex {
  if (!isSalt(salt)) invalidInput('salt', 'must be 64 lowercase hex characters');
  if (!isSha256Hex(hash)) invalidInput('hash', 'must be 64 lowercase hex characters');
  return taggedHash(tag, hexToBytes(salt, 'salt'), sha256HexToBytes(hash));
}
