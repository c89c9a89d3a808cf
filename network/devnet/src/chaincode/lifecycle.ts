import { DevnetError } from '../errors';
/**
 * Chaincode definitions on the channel, kept in the `_lifecycle` namespace as Fabric's v2 lifecycle
 * does (core/chaincode/lifecycle). Every invocation reads `namespaces/fields/<cc>/Sequence`
 * (endorsement_info.go), so a redefinition invalidates transactions simulated before it.
 */
export const LIFECYCLE_NAMESPACE = '_lifecycle';

export interface ChaincodeDefinition {
  readonly name: string;
  readonly version: string;
  readonly sequence: number;
  readonly endorsementPolicy: string;
}

export function sequenceKey(name: string): string {
  return `namespaces/fields/${name}/Sequence`;
}

export function definitionKey(name: string): string {
  return `namespaces/metadata/${name}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a stored or submitted definition. @throws Error naming the bad field. */
export function parseDefinition(value: unknown): ChaincodeDefinition {
  if (!isRecord(value)) throw new DevnetError('MALFORMED_MESSAGE', 'chaincode definition must be an object');
  const { name, version, sequence, endorsementPolicy } = value;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/.test(name))
    throw new DevnetError('MALFORMED_MESSAGE', 'definition.name is invalid');
  if (typeof version !== 'string' || version.length === 0)
    throw new DevnetError('MALFORMED_MESSAGE', 'definition.version must be a non-empty string');
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1) {
    throw new DevnetError('MALFORMED_MESSAGE', 'definition.sequence must be a positive integer');
  }
  if (typeof endorsementPolicy !== 'string' || endorsementPolicy.length === 0) {
    throw new DevnetError('MALFORMED_MESSAGE', 'definition.endorsementPolicy must be a non-empty string');
  }
  return { name, version, sequence, endorsementPolicy };
}

export function decodeDefinition(bytes: Uint8Array): ChaincodeDefinition {
  return parseDefinition(JSON.parse(Buffer.from(bytes).toString('utf8')));
}

export function encodeDefinition(def: ChaincodeDefinition): Uint8Array {
  return Buffer.from(
    JSON.stringify({
      name: def.name,
      version: def.version,
      sequence: def.sequence,
      endorsementPolicy: def.endorsementPolicy,
    }),
  );
}
