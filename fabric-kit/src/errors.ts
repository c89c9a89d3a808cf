/**
 * The fabric-kit's one error class. Decisions are made on `code`, never on message text; the
 * foreign errors this package meets (fs, JSON, X.509 parsing, process spawning) travel as `cause`.
 */
import { CodedError } from '@veriscan/protocol';

/** Why the kit refused. */
export const FabricKitErrorCode = {
  /** `network.json` is missing a field or has one of the wrong type. */
  INVALID_PROFILE: 'INVALID_PROFILE',
  /** No identity, peer, org or user of that name in the profile or the crypto layout. */
  UNKNOWN_NAME: 'UNKNOWN_NAME',
  /** Bytes that should be DER, PEM, a key or a certificate extension are not. */
  MALFORMED_ENCODING: 'MALFORMED_ENCODING',
  /** An MSP `config.yaml` that does not parse or uses a feature the kit does not implement. */
  MALFORMED_CONFIG: 'MALFORMED_CONFIG',
  /** Generated crypto material was made for another consortium table (orgs, users or nodes changed). */
  STALE_MATERIAL: 'STALE_MATERIAL',
  // Process supervision (supervisor.ts), shared by the devnet CLI and the real-Fabric launcher:
  /** A port a process is about to listen on is taken by a program the caller did not start. */
  PORT_IN_USE: 'PORT_IN_USE',
  /** The operating system did not start a process (no pid). */
  SPAWN_FAILED: 'SPAWN_FAILED',
  /** A started process exited, or did not accept connections on its port in time. */
  NOT_LISTENING: 'NOT_LISTENING',
  // Identities refused by the MSP code (MspError), in Fabric's terms:
  /** The bytes are not a SerializedIdentity holding a PEM X.509 certificate. */
  MALFORMED_IDENTITY: 'MALFORMED_IDENTITY',
  /** No MSP with the identity's MSP id is known. */
  UNKNOWN_MSP: 'UNKNOWN_MSP',
  /** The identity names a different MSP than the one asked to deserialize it. */
  MSP_MISMATCH: 'MSP_MISMATCH',
  /** The certificate does not chain to the MSP's root CAs (or its chain breaks a Fabric rule). */
  UNTRUSTED_CERTIFICATE: 'UNTRUSTED_CERTIFICATE',
  /** The certificate is a CA certificate, which Fabric never accepts as an identity. */
  CA_AS_IDENTITY: 'CA_AS_IDENTITY',
  /** The certificate's key is not ECDSA P-256. */
  UNSUPPORTED_KEY: 'UNSUPPORTED_KEY',
  /** The certificate does not carry exactly one NodeOU role OU certified by the configured CA. */
  NODE_OU: 'NODE_OU',
  /** The MSP folder is missing something or uses a feature the devnet does not implement. */
  MSP_CONFIG: 'MSP_CONFIG',
} as const;
export type FabricKitErrorCode = (typeof FabricKitErrorCode)[keyof typeof FabricKitErrorCode];

/** An error of the Fabric kit, shaped `{ code, message, cause }`. */
export class FabricKitError extends CodedError<FabricKitErrorCode> {}
