/** The contracts that `fabric-chaincode-node server` loads for the `veriscan` chaincode. */
import { ConfigContract } from './contracts/config-contract';
import { GovernanceContract } from './contracts/governance-contract';
import { MembershipContract } from './contracts/membership-contract';
import { ModelsContract } from './contracts/models-contract';
import { ReputationContract } from './contracts/reputation-contract';
import { RequestsContract } from './contracts/requests-contract';
import { SchedulerContract } from './contracts/scheduler-contract';
import { SystemContract } from './contracts/system-contract';

export {
  ConfigContract,
  GovernanceContract,
  MembershipContract,
  ModelsContract,
  ReputationContract,
  RequestsContract,
  SchedulerContract,
  SystemContract,
};
export { ChaincodeError, ErrorCode } from './infra/errors';
export { EventName } from './infra/events';
export { DEFAULT_CONFIG, type ChaincodeConfig } from './rules/config';
export { POLICY, type TxName } from './rules/policy';

/**
 * Loaded by the chaincode server. `System` stays first: it is the default contract, so a bare
 * function name (without `Contract:`) still reaches Ping/Whoami as before.
 */
export const contracts = [
  SystemContract,
  ConfigContract,
  MembershipContract,
  ModelsContract,
  RequestsContract,
  SchedulerContract,
  ReputationContract,
  GovernanceContract,
];
