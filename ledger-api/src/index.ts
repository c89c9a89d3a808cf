/**
 * `@veriscan/ledger-api`: the `veriscan` chaincode's wire API (names, error codes, records, event
 * payloads) and the typed facade every app uses to reach it through fabric-gateway.
 */
export * from './wire';
export { toLedgerError, validationCodeName, validationCodeToLedgerCode } from './gateway-errors';
export {
  DEFAULT_RETRY_POLICY,
  REAL_RETRY_ENVIRONMENT,
  backoffCeiling,
  withRetry,
  type RetryEnvironment,
  type RetryPolicy,
} from './retry';
export {
  MVCC_RETRY_POLICY,
  VeriscanLedger,
  isMvccConflict,
  type AnchorBatchInput,
  type Committed,
  type GenesisMember,
  type ProposalInput,
  type RequestFilter,
  type RequestInferenceInput,
  type RetryListener,
  type VeriscanLedgerOptions,
} from './facade';
