/** Public surface of @veriscan/protocol (filled in by the protocol issue). */
export const PROTOCOL_VERSION = 1 as const;
