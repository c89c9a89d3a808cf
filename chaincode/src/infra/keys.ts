/**
 * Every world-state key the chaincode writes, in one place. All are composite keys
 * (`\0type\0attr\0…`), so simple-key range scans never see them and each record type can be
 * range-read by prefix. Index entries (`request~hospital`, `request~lab`) hold a one-byte value:
 * Fabric treats an empty value as a delete.
 */
export const KeyType = {
  config: 'veriscan.config',
  genesis: 'veriscan.genesis',
  member: 'member',
  memberByMsp: 'member~msp',
  proposal: 'proposal',
  model: 'model',
  request: 'request',
  requestByHospital: 'request~hospital',
  requestByLab: 'request~lab',
  receipt: 'receipt',
  batch: 'batch',
  capacity: 'capacity',
  roundRobin: 'rr-cursor',
  bid: 'bid',
  credit: 'rep-credit',
  debit: 'rep-debit',
  snapshot: 'rep-snapshot',
  priority: 'rep-priority',
  spotCheck: 'spot-check',
} as const;
export type KeyType = (typeof KeyType)[keyof typeof KeyType];

/** Batch sequences are zero-padded so a lab's batches sort in order under its prefix. */
export function sequenceAttr(sequence: number): string {
  return sequence.toString().padStart(12, '0');
}
