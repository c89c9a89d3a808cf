/**
 * Fabric-CA attribute certificates: the extension fabric-ca writes (fabric-ca lib/attrmgr/attrmgr.go
 * `AddAttributesToCert`) and fabric-shim's `ClientIdentity` reads (fabric-shim lib/chaincode.js).
 *
 * The extension is OID 1.2.3.4.5.6.7.8.1, non-critical, and its extnValue holds the raw UTF-8 JSON
 * `{"attrs":{...}}` itself (no inner ASN.1 wrapping). Go's `json.Marshal` of a map sorts the keys, so
 * keys are written sorted here too and the bytes match what fabric-ca would issue.
 */
import { FabricKitError } from '../errors';

/** The attribute extension's OID (fabric-ca `attrmgr.AttrOIDString`). */
export const FABRIC_CA_ATTRIBUTES_OID = '1.2.3.4.5.6.7.8.1';

/** Attribute name to value, as in `{"attrs":{...}}`. */
export type CertAttributes = Readonly<Record<string, string>>;

/** Encodes attributes as the extension value fabric-ca writes: sorted-key JSON, UTF-8. */
export function encodeCertAttributes(attrs: CertAttributes): Uint8Array {
  const sorted: Record<string, string> = {};
  for (const name of Object.keys(attrs).sort()) {
    const value = attrs[name];
    if (value !== undefined) sorted[name] = value;
  }
  return new TextEncoder().encode(JSON.stringify({ attrs: sorted }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Decodes the extension value back into attributes.
 * @throws Error if the bytes are not `{"attrs":{name: string, ...}}`.
 */
export function decodeCertAttributes(value: Uint8Array): CertAttributes {
  const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(value));
  if (!isRecord(parsed) || !isRecord(parsed.attrs))
    throw new FabricKitError('MALFORMED_ENCODING', 'attribute extension is not {"attrs":{...}}');
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(parsed.attrs)) {
    if (typeof v !== 'string')
      throw new FabricKitError('MALFORMED_ENCODING', `attribute ${name} is not a string`);
    out[name] = v;
  }
  return out;
}
