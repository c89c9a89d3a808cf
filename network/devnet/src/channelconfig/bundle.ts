/**
 * Everything a node derives from one channel configuration (common/channelconfig/bundle.go
 * `NewBundle`, channel.go `NewChannelConfig`, msp.go `MSPConfigHandler`): the MSP of every org group
 * (application and orderer orgs, built from the `MSP` value the configuration holds), the policy
 * managers, the configtx validator for the next update, and the orderer's batching. A new bundle is
 * built for each config block; `validateNew` holds the rules Fabric applies between two consecutive
 * bundles. Refusals carry Fabric's prefixes (`initializing channelconfig failed: could not create
 * channel Application sub-group config: setting up the MSP manager failed: …`); the innermost text is
 * the devnet MSP's own where its checks differ from Fabric's.
 */
import { common, msp } from '@hyperledger/fabric-protos';
import { MspManager, mspFromChannelConfig, type Msp } from '@veriscan/fabric-kit';
import { ConfigtxValidator, CHANNEL_ROOT } from '../configtx/validator';
import { DevnetError, inContext } from '../errors';
import { ChannelPolicyManager, type ChannelPolicy } from '../policy';
import { ordererBatching, type OrdererBatching } from './orderer-values';

const APPLICATION = 'Application';
const ORDERER = 'Orderer';
const MSP_KEY = 'MSP';

/** configtx.go `ChannelAllowedChars`, anchored as `ValidateChannelID` applies it. */
const CHANNEL_ID = /^[a-z][a-z0-9.-]*$/;
const MAX_CHANNEL_ID_LENGTH = 249;

const refused = (message: string, cause?: unknown): DevnetError =>
  new DevnetError('CONFIG_REFUSED', message, cause === undefined ? undefined : { cause });

function channelIdError(channelId: string): string | undefined {
  if (channelId.length === 0) return 'channel ID illegal, cannot be empty';
  if (channelId.length > MAX_CHANNEL_ID_LENGTH)
    return `channel ID illegal, cannot be longer than ${MAX_CHANNEL_ID_LENGTH}`;
  if (!CHANNEL_ID.test(channelId)) return `'${channelId}' contains illegal characters`;
  return undefined;
}

/** An org's MSP from its `MSP` value; the same MSP may be defined by two orgs only identically. */
function orgMsp(
  section: string,
  name: string,
  group: common.ConfigGroup,
  seen: Map<string, Uint8Array>,
): Msp {
  if (group.getGroupsMap().getLength() > 0)
    throw refused(
      section === ORDERER
        ? 'OrdererOrg config does not allow sub-groups'
        : 'ApplicationOrg config does not allow sub-groups',
    );
  const value = group.getValuesMap().get(MSP_KEY);
  if (value === undefined) throw refused(`org ${name} has no ${MSP_KEY} value`);
  let config: msp.MSPConfig;
  try {
    config = msp.MSPConfig.deserializeBinary(value.getValue_asU8());
  } catch (cause) {
    throw refused(
      `failed to deserialize values: the ${MSP_KEY} value of org ${name} is not an MSPConfig`,
      cause,
    );
  }
  let built: Msp;
  try {
    built = mspFromChannelConfig(config);
  } catch (cause) {
    throw refused(
      `setting up the MSP manager failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    );
  }
  const previous = seen.get(built.mspId);
  if (previous !== undefined && !Buffer.from(previous).equals(Buffer.from(value.getValue_asU8())))
    throw refused(`Attempted to define two different versions of MSP: ${built.mspId}`);
  seen.set(built.mspId, value.getValue_asU8());
  return built;
}

/** The channel configuration as the devnet's nodes use it. */
export class ChannelBundle {
  readonly channelId: string;
  readonly config: common.Config;
  /** The MSPs of every org of the channel. */
  readonly msps: MspManager;
  /** The root policy manager (`Channel`). */
  readonly policies: ChannelPolicyManager;
  /** Validates the update that would follow this configuration. */
  readonly validator: ConfigtxValidator;
  /** Application org names → MSP ids. */
  readonly applicationOrgs: ReadonlyMap<string, string>;
  /** Orderer org names → MSP ids. */
  readonly ordererOrgs: ReadonlyMap<string, string>;
  /** The orderer's batching: its block cutter's settings and the largest envelope it accepts. */
  readonly batching: OrdererBatching;

  private constructor(
    fields: Readonly<{
      channelId: string;
      config: common.Config;
      msps: MspManager;
      policies: ChannelPolicyManager;
      applicationOrgs: ReadonlyMap<string, string>;
      ordererOrgs: ReadonlyMap<string, string>;
      batching: OrdererBatching;
    }>,
  ) {
    this.channelId = fields.channelId;
    this.config = fields.config;
    this.msps = fields.msps;
    this.policies = fields.policies;
    this.applicationOrgs = fields.applicationOrgs;
    this.ordererOrgs = fields.ordererOrgs;
    this.batching = fields.batching;
    this.validator = new ConfigtxValidator({
      channelId: fields.channelId,
      config: fields.config,
      policies: fields.policies,
      deserializer: fields.msps,
    });
  }

  /**
   * The bundle of `config` for channel `channelId`.
   * @throws DevnetError `CONFIG_REFUSED` when the configuration lacks a section, an org's MSP cannot
   *   be built, or a policy does not compile.
   */
  static fromConfig(channelId: string, config: common.Config): ChannelBundle {
    const invalidId = channelIdError(channelId);
    if (invalidId !== undefined) throw refused(`bad channel ID: ${invalidId}`);
    const channel = config.getChannelGroup();
    if (channel === undefined) throw refused('nil channel group');
    const seen = new Map<string, Uint8Array>();
    const msps: Msp[] = [];
    // channel.go NewChannelConfig: each section is built on its own and its failure named.
    const section = <T>(name: string, build: (group: common.ConfigGroup) => T): T => {
      const group = channel.getGroupsMap().get(name);
      const step = (): T => {
        if (group === undefined) throw refused(`the channel configuration has no ${name} group`);
        return build(group);
      };
      return inContext('initializing channelconfig failed', () =>
        inContext(`could not create channel ${name} sub-group config`, step),
      );
    };
    const orgsOf = (name: string, group: common.ConfigGroup): Map<string, string> => {
      const names = new Map<string, string>();
      group.getGroupsMap().forEach((org: common.ConfigGroup, orgName: string) => {
        const built = orgMsp(name, orgName, org, seen);
        if (!msps.some((m) => m.mspId === built.mspId)) msps.push(built);
        names.set(orgName, built.mspId);
      });
      return names;
    };
    const ordering = section(ORDERER, (group) => ({
      batching: ordererBatching(group),
      orgs: orgsOf(ORDERER, group),
    }));
    const applicationOrgs = section(APPLICATION, (group) => orgsOf(APPLICATION, group));
    const policies = inContext('initializing policymanager failed', () =>
      ChannelPolicyManager.fromGroup(CHANNEL_ROOT, channel),
    );
    return new ChannelBundle({
      channelId,
      config,
      msps: new MspManager(msps),
      policies,
      applicationOrgs,
      ordererOrgs: ordering.orgs,
      batching: ordering.batching,
    });
  }

  get sequence(): number {
    return this.config.getSequence();
  }

  /** The policy at an absolute path such as `/Channel/Writers`, if the configuration defines it. */
  policy(path: string): ChannelPolicy | undefined {
    const { policy, found } = this.policies.getPolicy(path);
    return found ? policy : undefined;
  }

  /**
   * Fabric's checks between this configuration and the next (bundle.go `ValidateNew`): an org that
   * stays keeps its MSP id.
   * @throws DevnetError `CONFIG_REFUSED` with Fabric's text.
   */
  validateNew(next: ChannelBundle): void {
    for (const [name, mspId] of this.ordererOrgs) {
      const nextId = next.ordererOrgs.get(name);
      if (nextId !== undefined && nextId !== mspId)
        throw refused(`orderer org ${name} attempted to change MSP ID from ${mspId} to ${nextId}`);
    }
    for (const [name, mspId] of this.applicationOrgs) {
      const nextId = next.applicationOrgs.get(name);
      if (nextId !== undefined && nextId !== mspId)
        throw refused(`application org ${name} attempted to change MSP ID from ${mspId} to ${nextId}`);
    }
  }
}
