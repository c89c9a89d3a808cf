import type { Context } from 'fabric-contract-api';
import { EventName } from '@veriscan/ledger-api/wire';
import { canonicalBytes, type Json } from './json';

/** Chaincode event names, the contract's outbound API, owned by `@veriscan/ledger-api`. */
export { EventName };

/**
 * Sets the transaction's event. Fabric keeps only the last `setEvent` of a transaction, so each
 * transaction emits exactly one event, built once at its end. Payloads carry ids and hashes only.
 */
export function emit(ctx: Context, name: EventName, payload: Json): void {
  ctx.stub.setEvent(name, canonicalBytes(payload));
}
