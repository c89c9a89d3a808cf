/**
 * The differential check of block 0: for every topology, the genesis block fabric-kit encodes from the
 * channel description against the one configtxgen writes from the configtx.yaml rendered from that same
 * description, both decoded to the last opaque byte field. Only what is random or time-bound per run
 * (timestamp, nonce, the transaction id and data hash that follow from them) is set aside. Needs
 * Fabric's configtxgen (FABRIC_BIN), not a running network.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import {
  cryptoLayout,
  fileSystemMaterial,
  generateCryptoMaterial,
  genesisBlock,
  type CryptoLayout,
} from '@veriscan/fabric-kit';
import { fabricBinaries } from '../../../network/fabric/src/binaries';
import { writeGenesisBlock } from '../../../network/fabric/src/channel';
import { runCommand } from '../../../network/fabric/src/run';
import { channelDescription, renderConfigtxYaml, type HostMode } from '../../../network/fabric/src/configtx';
import { TOPOLOGIES } from '../../../network/fabric/src/topology';
import {
  blockTree,
  differences,
  isList,
  isRecord,
  type Tree,
} from '../../unit/fabric-kit/channel/support/config-tree';
import { tempDir } from '../../unit/fabric-kit/msp/support/material';

const hasFabric = (process.env.FABRIC_BIN ?? '') !== '';

/** `tree` without the field at `path` (`*` steps into every array entry). */
function omit(tree: Tree, path: readonly string[]): Tree {
  const [step, ...rest] = path;
  if (step === undefined) return tree;
  if (isList(tree)) return step === '*' ? tree.map((entry) => omit(entry, rest)) : tree;
  if (!isRecord(tree)) return tree;
  return Object.fromEntries(
    Object.entries(tree).flatMap(([key, value]): [string, Tree][] => {
      if (key !== step) return [[key, value]];
      return rest.length === 0 ? [] : [[key, omit(value, rest)]];
    }),
  );
}

/** Strips the fields that differ on every run: the timestamp, the nonce and what follows from them. */
function withoutRunFields(tree: Tree, paths: readonly (readonly string[])[]): Tree {
  return paths.reduce(omit, tree);
}

// In blockTree's decoding (test/unit/fabric-kit/channel/support/config-tree.ts).
const RUN_FIELDS = [
  ['header', 'dataHash'],
  ['data', '*', 'channelHeader', 'timestamp'],
  ['data', '*', 'channelHeader', 'txId'],
  ['data', '*', 'signatureHeader', 'nonce'],
];
// In configtxlator's JSON (common.Block).
const RUN_FIELDS_CONFIGTXLATOR = [
  ['header', 'data_hash'],
  ['data', 'data', '*', 'payload', 'header', 'channel_header', 'timestamp'],
  ['data', 'data', '*', 'payload', 'header', 'channel_header', 'tx_id'],
  ['data', 'data', '*', 'payload', 'header', 'signature_header', 'nonce'],
];

/** configtxlator's JSON of a block file: Go's own decoding of every config value and policy. */
function configtxlatorTree(configtxlator: string, file: string): Tree {
  // --output: configtxlator's default, /dev/stdout, cannot be opened on a socket.
  runCommand(configtxlator, [
    'proto_decode',
    '--type',
    'common.Block',
    '--input',
    file,
    '--output',
    `${file}.json`,
  ]);
  const parsed: unknown = JSON.parse(readFileSync(`${file}.json`, 'utf8'));
  return toTree(parsed);
}

function toTree(value: unknown): Tree {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string')
    return value;
  if (Array.isArray(value)) return value.map(toTree);
  if (typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toTree(v)]));
  throw new TypeError(`configtxlator printed a ${typeof value}`);
}

const CASES: readonly { topology: keyof typeof TOPOLOGIES; mode: HostMode }[] = [
  { topology: 'raft-1', mode: 'native' },
  { topology: 'raft-3', mode: 'native' },
  { topology: 'bft-4', mode: 'native' },
  { topology: 'raft-1', mode: 'compose' },
  { topology: 'bft-4', mode: 'compose' },
];

const SKIPPED = hasFabric ? '' : ' (skipped: FABRIC_BIN is not set, and the check needs its configtxgen)';

describe(`block 0 encoded from the channel description against configtxgen's${SKIPPED}`, function () {
  this.timeout(60_000);
  let layout: CryptoLayout;
  let root: string;

  before(async function () {
    if (!hasFabric) this.skip();
    root = tempDir('veriscan-genesis-');
    await generateCryptoMaterial({ outDir: join(root, 'crypto') });
    layout = cryptoLayout(join(root, 'crypto'));
  });

  for (const { topology: key, mode } of CASES) {
    const topology = TOPOLOGIES[key];
    it(`matches configtxgen -profile ${topology.profile} (${mode} hosts) in every group, value, policy, mod_policy and version${SKIPPED}`, () => {
      const configDir = join(root, `${key}-${mode}`);
      mkdirSync(configDir, { recursive: true });
      writeFileSync(join(configDir, 'configtx.yaml'), renderConfigtxYaml({ layout, mode }));
      const theirsFile = join(configDir, 'genesis.block');
      writeGenesisBlock(fabricBinaries(), { configDir, profile: topology.profile, block: theirsFile });

      const ours = genesisBlock(channelDescription({ layout, mode, topology }), {
        material: fileSystemMaterial(),
        timestamp: Timestamp.fromDate(new Date()),
      });
      const oursFile = join(configDir, 'ours.block');
      writeFileSync(oursFile, ours.serializeBinary());

      const decoded = (file: string): Tree => blockTree(new Uint8Array(readFileSync(file)));
      expect(
        differences(
          withoutRunFields(decoded(oursFile), RUN_FIELDS),
          withoutRunFields(decoded(theirsFile), RUN_FIELDS),
        ),
        'decoded with fabric-protos',
      ).to.deep.equal([]);
      // Go's decoding too: it would show a field the JavaScript protos do not know.
      const { configtxlator } = fabricBinaries();
      const go = (file: string): Tree =>
        withoutRunFields(configtxlatorTree(configtxlator, file), RUN_FIELDS_CONFIGTXLATOR);
      expect(differences(go(oursFile), go(theirsFile)), 'decoded by configtxlator').to.deep.equal([]);
    });
  }
});
