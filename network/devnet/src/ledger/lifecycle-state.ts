/**
 * The channel's chaincode definitions as committed state (core/chaincode/lifecycle's view of the
 * `_lifecycle` namespace): what the validator, the endorser and the gateway read. Kept in `ledger/`
 * so that none of them depends on another for it.
 */
import { LIFECYCLE_POLICY } from '@veriscan/fabric-kit';
import {
  decodeDefinition,
  definitionKey,
  LIFECYCLE_NAMESPACE,
  type ChaincodeDefinition,
} from '../chaincode/lifecycle';
import type { StateDb } from './state-db';

/** The policy that guards writes to `_lifecycle` (the channel's LifecycleEndorsement: a majority of orgs). */
export { LIFECYCLE_POLICY };

/** The committed definition of chaincode `name`, or undefined when it is not defined (or unreadable). */
export function definitionOf(state: StateDb, name: string): ChaincodeDefinition | undefined {
  const stored = state.get(LIFECYCLE_NAMESPACE, definitionKey(name));
  if (stored === undefined) return undefined;
  try {
    return decodeDefinition(stored.value);
  } catch {
    return undefined;
  }
}
