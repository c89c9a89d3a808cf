import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect } from 'chai';

import {
  Msp,
  MspError,
  nodeOusConfigYaml,
  orgByMspId,
  parseMspYamlConfig,
  FabricKitError,
} from '@veriscan/fabric-kit';
import { sharedMaterial, tempDir } from './support/material.js';

describe('MSP config.yaml NodeOUs', () => {
  it('reads back what it writes', () => {
    const config = parseMspYamlConfig(nodeOusConfigYaml('cacerts/ca.x-cert.pem'));
    expect(config.nodeOusEnabled).to.be.true;
    expect(config.nodeOus.orderer).to.deep.equal({
      organizationalUnitIdentifier: 'orderer',
      certificate: 'cacerts/ca.x-cert.pem',
    });
    expect(config.otherKeys).to.deep.equal([]);
  });

  it('reads a hand-written Fabric config with comments, quotes and OrganizationalUnitIdentifiers', () => {
    const text = [
      '# Copyright IBM Corp. All Rights Reserved.',
      '',
      'OrganizationalUnitIdentifiers:',
      '  - Certificate: "cacerts/cacert.pem"',
      '    OrganizationalUnitIdentifier: "COP"',
      '',
      'NodeOUs:',
      '  Enable: true # classify',
      '  ClientOUIdentifier:',
      '    OrganizationalUnitIdentifier: "OU_client"',
      '  PeerOUIdentifier:',
      "    OrganizationalUnitIdentifier: 'OU_peer'",
      '    Certificate: cacerts/cacert.pem',
    ].join('\n');
    const config = parseMspYamlConfig(text);
    expect(config.nodeOusEnabled).to.be.true;
    expect(config.nodeOus).to.deep.equal({
      client: { organizationalUnitIdentifier: 'OU_client' },
      peer: { organizationalUnitIdentifier: 'OU_peer', certificate: 'cacerts/cacert.pem' },
    });
    expect(config.otherKeys).to.deep.equal(['OrganizationalUnitIdentifiers']);
  });

  it('refuses text that is not YAML, or an Enable that is not a boolean, with MALFORMED_CONFIG', () => {
    const codeOf = (text: string): string | undefined => {
      try {
        parseMspYamlConfig(text);
      } catch (error) {
        return error instanceof FabricKitError ? error.code : undefined;
      }
      return undefined;
    };
    expect(codeOf('NodeOUs: [unclosed\n')).to.equal('MALFORMED_CONFIG');
    expect(codeOf('NodeOUs:\n  Enable: "yes"\n')).to.equal('MALFORMED_CONFIG');
    expect(codeOf('NodeOUs:\n  Enable: true\n')).to.equal(undefined);
  });

  it('refuses an unknown key inside NodeOUs', () => {
    expect(() =>
      parseMspYamlConfig(
        'NodeOUs:\n  Enable: true\n  GuestOUIdentifier:\n    OrganizationalUnitIdentifier: guest\n',
      ),
    ).to.throw(/unknown NodeOUs key/);
  });

  it('makes Msp.load refuse MSP features the devnet does not implement instead of ignoring them', async () => {
    const { layout } = await sharedMaterial();
    const dir = tempDir('veriscan-msp-config-');
    cpSync(orgByMspId(layout, 'Lab1MSP').mspDir, dir, { recursive: true });
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      `OrganizationalUnitIdentifiers:\n  - Certificate: x\n    OrganizationalUnitIdentifier: COP\n${nodeOusConfigYaml('cacerts/ca.lab-1.veriscan.local-cert.pem')}`,
    );
    let error: unknown;
    try {
      await Msp.load({ mspId: 'Lab1MSP', mspDir: dir });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(MspError);
    expect(error instanceof MspError ? [error.code, error.message] : []).to.deep.equal([
      'MSP_CONFIG',
      'MSP Lab1MSP: config.yaml keys not supported by the devnet: OrganizationalUnitIdentifiers',
    ]);
    writeFileSync(config, 'NodeOUs:\n  Enable: false\n');
    let disabled: unknown;
    try {
      await Msp.load({ mspId: 'Lab1MSP', mspDir: dir });
    } catch (e) {
      disabled = e;
    }
    expect(disabled instanceof MspError ? disabled.message : '').to.match(/NodeOUs must be enabled/);
  });
});
