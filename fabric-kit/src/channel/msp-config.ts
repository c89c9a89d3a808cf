/**
 * An org's MSP definition as a channel configuration holds it: msp/configbuilder.go
 * `GetVerifyingMspConfig` for a Fabric (bccsp) MSP folder, which configtxgen calls for every org.
 * Root and TLS root certificates from `cacerts/` and `tlscacerts/` (every file that holds PEM, in name
 * order, as read), intermediates, admin certificates and CRLs from their folders when present, the
 * NodeOUs from `config.yaml` with each OU's certificate file, no signing identity, and
 * SHA2/SHA256 as the crypto config.
 */
import { join } from 'node:path';
import { msp } from '@hyperledger/fabric-protos';
import { MspError } from '../msp/errors.js';
import { parseMspYamlConfig, type NodeOuIdentifier } from '../msp/node-ous.js';
import type { MaterialReader } from './material.js';

/** msp.ProviderType FABRIC, the `type` of an X.509 MSPConfig. */
const FABRIC_MSP_TYPE = 0;

// A PEM block anywhere in the file, as Go's pem.Decode finds one.
const PEM_BLOCK = /-----BEGIN [^\r\n-]*-----[\s\S]*?-----END [^\r\n-]*-----/;

/** configbuilder.go `getPemMaterialFromDir`: every PEM file of `dir`, whole; undefined for no folder. */
function pemFilesIn(reader: MaterialReader, dir: string): Uint8Array[] | undefined {
  const names = reader.listFiles(dir);
  if (names === undefined) return undefined;
  const files: Uint8Array[] = [];
  for (const name of names) {
    const bytes = reader.readFile(join(dir, name));
    // Fabric skips (with a warning) a file without PEM content.
    if (bytes !== undefined && PEM_BLOCK.test(Buffer.from(bytes).toString('latin1'))) files.push(bytes);
  }
  return files;
}

function ouIdentifier(
  reader: MaterialReader,
  mspDir: string,
  identifier: NodeOuIdentifier | undefined,
): msp.FabricOUIdentifier | undefined {
  if (identifier === undefined) return undefined;
  const ou = new msp.FabricOUIdentifier();
  ou.setOrganizationalUnitIdentifier(identifier.organizationalUnitIdentifier);
  // loadCertificateAt: a missing certificate file is only logged, and the OU keeps no certificate.
  const certificate =
    identifier.certificate === undefined || identifier.certificate === ''
      ? undefined
      : reader.readFile(join(mspDir, identifier.certificate));
  if (certificate !== undefined) ou.setCertificate(certificate);
  return ou;
}

function nodeOus(reader: MaterialReader, mspDir: string, mspId: string): msp.FabricNodeOUs | undefined {
  const text = reader.readFile(join(mspDir, 'config.yaml'));
  if (text === undefined) return undefined;
  const config = parseMspYamlConfig(Buffer.from(text).toString('utf8'));
  if (config.otherKeys.length > 0)
    throw new MspError(
      'MSP_CONFIG',
      `${join(mspDir, 'config.yaml')}: ${config.otherKeys.join(', ')} not supported in a channel configuration`,
      { mspId },
    );
  if (!config.nodeOusEnabled) return undefined;
  const result = new msp.FabricNodeOUs();
  result.setEnable(true);
  result.setClientOuIdentifier(ouIdentifier(reader, mspDir, config.nodeOus.client));
  result.setPeerOuIdentifier(ouIdentifier(reader, mspDir, config.nodeOus.peer));
  result.setAdminOuIdentifier(ouIdentifier(reader, mspDir, config.nodeOus.admin));
  result.setOrdererOuIdentifier(ouIdentifier(reader, mspDir, config.nodeOus.orderer));
  return result;
}

/**
 * The `MSP` value of an org group: what configtxgen derives from `mspDir` for `mspId`.
 * @throws MspError `MSP_CONFIG` when `cacerts/` holds no certificate or `config.yaml` uses a feature
 *   the kit does not implement; FabricKitError `MALFORMED_CONFIG` when `config.yaml` does not parse.
 */
export function verifyingMspConfig(reader: MaterialReader, mspDir: string, mspId: string): msp.MSPConfig {
  const rootCerts = pemFilesIn(reader, join(mspDir, 'cacerts')) ?? [];
  if (rootCerts.length === 0)
    throw new MspError('MSP_CONFIG', `no ca certificate found in directory ${join(mspDir, 'cacerts')}`, {
      mspId,
    });
  const tlsRootCerts = pemFilesIn(reader, join(mspDir, 'tlscacerts')) ?? [];
  // Fabric reads TLS intermediates only when there are TLS roots.
  const tlsIntermediates =
    tlsRootCerts.length > 0 ? (pemFilesIn(reader, join(mspDir, 'tlsintermediatecerts')) ?? []) : [];

  const crypto = new msp.FabricCryptoConfig();
  crypto.setSignatureHashFamily('SHA2');
  crypto.setIdentityIdentifierHashFunction('SHA256');

  const config = new msp.FabricMSPConfig();
  config.setName(mspId);
  config.setRootCertsList(rootCerts);
  config.setIntermediateCertsList(pemFilesIn(reader, join(mspDir, 'intermediatecerts')) ?? []);
  config.setAdminsList(pemFilesIn(reader, join(mspDir, 'admincerts')) ?? []);
  config.setRevocationListList(pemFilesIn(reader, join(mspDir, 'crls')) ?? []);
  config.setCryptoConfig(crypto);
  config.setTlsRootCertsList(tlsRootCerts);
  config.setTlsIntermediateCertsList(tlsIntermediates);
  const ous = nodeOus(reader, mspDir, mspId);
  if (ous !== undefined) config.setFabricNodeOus(ous);

  const value = new msp.MSPConfig();
  value.setType(FABRIC_MSP_TYPE);
  value.setConfig(config.serializeBinary());
  return value;
}
