/** The contracts that `fabric-chaincode-node server` loads for the `veriscan` chaincode. */
import { SystemContract } from './contracts/system-contract';

export { SystemContract };
export const contracts = [SystemContract];
