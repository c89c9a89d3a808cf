import { Contract } from 'fabric-contract-api';
import { VeriscanContext } from '../infra/context';

/** Base of every Veriscan contract: gives transactions the {@link VeriscanContext}. */
export abstract class VeriscanContract extends Contract {
  override createContext(): VeriscanContext {
    return new VeriscanContext();
  }
}
