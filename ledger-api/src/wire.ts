/**
 * `@veriscan/ledger-api/wire`: the chaincode's wire API with no client runtime — names, error
 * codes, records and event payloads. The chaincode imports this entry only, so it bundles nothing
 * of fabric-gateway or gRPC.
 */
export { ContractName, Tx, WRITE_TXS, contractOf, functionOf, isTxName, type TxName } from './transactions';
export { EventName, isEventName } from './events';
export {
  ChaincodeErrorCode,
  LedgerError,
  LedgerErrorCode,
  isChaincodeErrorCode,
  parseChaincodeError,
  transactionIdOf,
  type ChaincodeFailure,
} from './errors';
export * from './records';
export * from './event-payloads';
