/**
 * The protocol version every record carries. A verifier must refuse a record whose version it does not
 * implement: a new version may change byte layouts, so "probably compatible" is never safe.
 * Version 2 made every scan- or output-dependent member of the pixel trace a salted commitment
 * (docs/pixel-trace.md, "Changes from version 1").
 */
export const PROTOCOL_VERSION = 2 as const;

/** The protocol version as a type, for record fields. */
export type ProtocolVersion = typeof PROTOCOL_VERSION;
