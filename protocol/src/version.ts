/**
 * The protocol version every record carries. A verifier must refuse a record whose version it does not
 * implement: a new version may change byte layouts, so "probably compatible" is never safe.
 */
export const PROTOCOL_VERSION = 1 as const;

/** The protocol version as a type, for record fields. */
export type ProtocolVersion = typeof PROTOCOL_VERSION;
