import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { ORDERER_ORG, PEER_ORGS, peerHost } from '@veriscan/fabric-kit';
import { buildComposeFile, renderComposeFile } from '../../../network/fabric/src/compose-file';

const committed = readFileSync(join(__dirname, '..', '..', '..', 'docker-compose.yaml'), 'utf8');

describe('docker-compose.yaml generated from the consortium table', () => {
  it('is committed exactly as `npm run fabric -- compose-file` writes it (regenerate after a table change)', () => {
    expect(committed).to.equal(renderComposeFile());
  });

  it('runs one peer and one chaincode server per peer org of the table, with its MSP id and ports', () => {
    const services = buildComposeFile().services as Record<
      string,
      { environment: Record<string, string>; ports?: string[] }
    >;
    for (const org of PEER_ORGS) {
      const peer = services[peerHost(org)];
      expect(peer?.environment.CORE_PEER_LOCALMSPID).to.equal(org.mspId);
      expect(peer?.ports).to.include(`${org.ports.fabricPeer}:${org.ports.fabricPeer}`);
      const chaincode = services[`chaincode.${org.key}.veriscan.local`];
      expect(chaincode?.environment.CORE_CHAINCODE_ADDRESS).to.equal(`0.0.0.0:${org.ports.fabricChaincode}`);
    }
    const orderers = Object.values(services).filter(
      (s) => s.environment.ORDERER_GENERAL_LOCALMSPID !== undefined,
    );
    expect(orderers).to.have.length(4);
    expect(new Set(orderers.map((s) => s.environment.ORDERER_GENERAL_LOCALMSPID))).to.deep.equal(
      new Set([ORDERER_ORG.mspId]),
    );
  });

  it('reads back as the document it was written from', () => {
    expect(parse(committed)).to.deep.equal(JSON.parse(JSON.stringify(buildComposeFile())));
  });
});
