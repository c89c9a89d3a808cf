/**
 * The parts of the ledger's records the lab works from, as narrow views over `@veriscan/ledger-api`'s
 * record types: the lab's ports ask only for these fields, so a full record satisfies them and a
 * test fake need not invent the rest. Commitments only: no patient data.
 */
import type {
  BatchAnchorRecord,
  ReceiptRecord,
  RequestAssignedEvent,
  RequestRecord,
} from '@veriscan/ledger-api';

/** A request as the lab needs it (GetRequest, ListRequests, or a RequestAssigned event). */
export type LedgerRequest = Pick<
  RequestRecord,
  | 'requestId'
  | 'hospitalId'
  | 'modelId'
  | 'modelVersion'
  | 'onnxSha256'
  | 'scanCommitment'
  | 'tileRootCommitment'
  | 'status'
  | 'assignedLab'
  | 'assignedAt'
  | 'deadline'
  | 'attempt'
>;

/** A stored receipt as the lab checks it after SubmitResult. */
export type LedgerReceipt = Pick<
  ReceiptRecord,
  'requestId' | 'labId' | 'receiptHash' | 'traceHash' | 'txId' | 'latencyMs'
>;

/** A stored batch anchor as the lab reconciles its log with it. */
export type LedgerBatch = Pick<
  BatchAnchorRecord,
  'labId' | 'sequence' | 'merkleRoot' | 'count' | 'log' | 'requestIds' | 'txId'
>;

/** The request a RequestAssigned event announces: assigned to the event's lab, at this attempt. */
export function requestFromAssignment(event: RequestAssignedEvent): LedgerRequest {
  return {
    requestId: event.requestId,
    hospitalId: event.hospitalId,
    modelId: event.modelId,
    modelVersion: event.modelVersion,
    onnxSha256: event.onnxSha256,
    scanCommitment: event.scanCommitment,
    tileRootCommitment: event.tileRootCommitment,
    status: 'assigned',
    assignedLab: event.labId,
    assignedAt: null,
    deadline: event.deadline,
    attempt: event.attempt,
  };
}
