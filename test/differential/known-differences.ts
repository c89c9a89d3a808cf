/**
 * Steps of the differential scenario whose outcome may differ between the devnet and real Fabric,
 * each with the reason; docs/devnet.md lists the same. Empty: on the last run every step matched.
 */
export const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {};
