import { expect } from 'chai';
import { common } from '@hyperledger/fabric-protos';
import { FabricKitError, computeConfigUpdate } from '@veriscan/fabric-kit';

const CHANNEL = 'alpha';

function value(bytes: string, version = 0): common.ConfigValue {
  const v = new common.ConfigValue();
  v.setValue(Buffer.from(bytes));
  v.setVersion(version);
  v.setModPolicy('Admins');
  return v;
}

function groupOf(
  members: Readonly<{
    values?: Record<string, common.ConfigValue>;
    groups?: Record<string, common.ConfigGroup>;
  }>,
  version = 0,
): common.ConfigGroup {
  const group = new common.ConfigGroup();
  group.setVersion(version);
  group.setModPolicy('Admins');
  for (const [k, v] of Object.entries(members.values ?? {})) group.getValuesMap().set(k, v);
  for (const [k, g] of Object.entries(members.groups ?? {})) group.getGroupsMap().set(k, g);
  return group;
}

function configOf(channel: common.ConfigGroup): common.Config {
  const config = new common.Config();
  config.setChannelGroup(channel);
  return config;
}

/** The original channel: Orderer{BatchSize}, Application{Org1{MSP}, Org2{MSP}}, Application at version 2. */
function original(): common.Config {
  return configOf(
    groupOf({
      groups: {
        Orderer: groupOf({ values: { BatchSize: value('10') } }),
        Application: groupOf(
          {
            groups: {
              Org1: groupOf({ values: { MSP: value('org1') } }),
              Org2: groupOf({ values: { MSP: value('org2') } }),
            },
          },
          2,
        ),
      },
    }),
  );
}

const clone = (config: common.Config): common.Config =>
  common.Config.deserializeBinary(config.serializeBinary());
const application = (config: common.Config): common.ConfigGroup | undefined =>
  config.getChannelGroup()?.getGroupsMap().get('Application');
const toObject = (group: common.ConfigGroup | undefined) => group?.toObject();

describe('a configuration update computed as configtxlator compute_update does', () => {
  it('bumps the group whose members change and names its unchanged members in the read and write sets', () => {
    const updated = clone(original());
    application(updated)
      ?.getGroupsMap()
      .set('Org3', groupOf({ values: { MSP: value('org3') } }));
    const update = computeConfigUpdate(CHANNEL, original(), updated);
    expect(update.getChannelId()).to.equal(CHANNEL);
    const readApp = update.getReadSet()?.getGroupsMap().get('Application');
    const writeApp = update.getWriteSet()?.getGroupsMap().get('Application');
    expect([update.getReadSet()?.getVersion(), update.getWriteSet()?.getVersion()]).to.deep.equal([0, 0]);
    // The channel group keeps its version and needs no mod_policy: only a member changed.
    expect(update.getWriteSet()?.getModPolicy()).to.equal('');
    expect(update.getReadSet()?.getGroupsMap().get('Orderer')).to.equal(undefined);
    expect([readApp?.getVersion(), writeApp?.getVersion(), writeApp?.getModPolicy()]).to.deep.equal([
      2,
      3,
      'Admins',
    ]);
    const versionOnly = { version: 0, modPolicy: '', groupsMap: [], valuesMap: [], policiesMap: [] };
    expect(toObject(readApp?.getGroupsMap().get('Org1'))).to.deep.equal(versionOnly);
    expect(toObject(writeApp?.getGroupsMap().get('Org2'))).to.deep.equal(versionOnly);
    expect(readApp?.getGroupsMap().get('Org3')).to.equal(undefined);
    const added = writeApp?.getGroupsMap().get('Org3');
    expect([added?.getVersion(), added?.getModPolicy()]).to.deep.equal([0, 'Admins']);
    expect(Buffer.from(added?.getValuesMap().get('MSP')?.getValue_asU8() ?? []).toString()).to.equal('org3');
  });

  it('writes a changed value at its version + 1 without touching its group', () => {
    const updated = clone(original());
    updated.getChannelGroup()?.getGroupsMap().get('Orderer')?.getValuesMap().set('BatchSize', value('20'));
    const update = computeConfigUpdate(CHANNEL, original(), updated);
    const readOrderer = update.getReadSet()?.getGroupsMap().get('Orderer');
    const writeOrderer = update.getWriteSet()?.getGroupsMap().get('Orderer');
    expect(readOrderer?.getValuesMap().getLength()).to.equal(0);
    expect([
      writeOrderer?.getVersion(),
      writeOrderer?.getValuesMap().get('BatchSize')?.getVersion(),
    ]).to.deep.equal([0, 1]);
  });

  it('leaves a removed member out of the write set of its bumped group', () => {
    const updated = clone(original());
    application(updated)?.getGroupsMap().del('Org2');
    const writeApp = computeConfigUpdate(CHANNEL, original(), updated)
      .getWriteSet()
      ?.getGroupsMap()
      .get('Application');
    expect(writeApp?.getVersion()).to.equal(3);
    expect(
      writeApp
        ?.getGroupsMap()
        .getEntryList()
        .map(([name]) => name),
    ).to.deep.equal(['Org1']);
  });

  it('refuses two configurations that do not differ', () => {
    expect(() => computeConfigUpdate(CHANNEL, original(), original())).to.throw(
      FabricKitError,
      'no differences detected between original and updated config',
    );
  });
});
