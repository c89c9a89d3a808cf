/**
 * An {@link Msp} built from the `MSP` value of an org group in a channel configuration
 * (msp/mspimplsetup.go `setupCrypto`, `setupCAs`, `setupNodeOUsV142`, `setupTLSCAs` over a
 * `FabricMSPConfig`), so a channel's members are whoever its configuration says, not whatever folders
 * sit on disk. Features the devnet's MSP does not implement are refused here, as {@link Msp.load}
 * refuses them in a folder: admin certificates, CRLs, OrganizationalUnitIdentifiers, NodeOUs disabled
 * or incomplete, hash functions other than SHA2/SHA256, MSP types other than FABRIC.
 */
import { msp as mspProto } from '@hyperledger/fabric-protos';

import { NODE_OU_ROLES, type NodeOuRole } from '../consortium.js';
import { MspError } from './errors.js';
import { Msp } from './msp.js';

/** msp.ProviderType FABRIC: the X.509 MSP. */
const FABRIC_MSP_TYPE = 0;

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

function identifierOf(
  ous: mspProto.FabricNodeOUs,
  role: NodeOuRole,
): mspProto.FabricOUIdentifier | undefined {
  switch (role) {
    case 'client':
      return ous.getClientOuIdentifier();
    case 'peer':
      return ous.getPeerOuIdentifier();
    case 'admin':
      return ous.getAdminOuIdentifier();
    case 'orderer':
      return ous.getOrdererOuIdentifier();
  }
}

/**
 * The MSP an `msp.MSPConfig` (a channel configuration's `MSP` value) defines.
 * @throws MspError `MSP_CONFIG` when the value does not decode, has no root CA, holds an unusable
 *   certificate, or uses a feature the devnet's MSP does not implement.
 */
export function mspFromChannelConfig(value: mspProto.MSPConfig): Msp {
  if (value.getType() !== FABRIC_MSP_TYPE)
    throw new MspError('MSP_CONFIG', `MSP type ${value.getType().toString()} is not supported by the devnet`);
  let config: mspProto.FabricMSPConfig;
  try {
    config = mspProto.FabricMSPConfig.deserializeBinary(value.getConfig_asU8());
  } catch (cause) {
    throw new MspError('MSP_CONFIG', 'could not unmarshal a FabricMSPConfig', { cause });
  }
  const mspId = config.getName();
  const fail = (message: string): MspError =>
    new MspError('MSP_CONFIG', `MSP ${mspId}: ${message}`, { mspId });
  if (mspId === '') throw new MspError('MSP_CONFIG', 'the MSP config has no name');
  if (config.getAdminsList().length > 0)
    throw fail('admincerts are not supported by the devnet (use the admin NodeOU)');
  if (config.getRevocationListList().length > 0) throw fail('CRLs are not supported by the devnet');
  if (config.getOrganizationalUnitIdentifiersList().length > 0)
    throw fail('OrganizationalUnitIdentifiers are not supported by the devnet');
  // setupCrypto: an unset family or function means SHA2 / SHA256.
  const crypto = config.getCryptoConfig();
  const orDefault = (value: string | undefined, fallback: string): string =>
    value === undefined || value === '' ? fallback : value;
  const family = orDefault(crypto?.getSignatureHashFamily(), 'SHA2');
  const identifierHash = orDefault(crypto?.getIdentityIdentifierHashFunction(), 'SHA256');
  if (family !== 'SHA2' || identifierHash !== 'SHA256')
    throw fail(`crypto config ${family}/${identifierHash} is not supported by the devnet (SHA2/SHA256 only)`);
  const ous = config.getFabricNodeOus();
  if (ous === undefined || !ous.getEnable()) throw fail('NodeOUs must be enabled');
  const nodeOus: Partial<Record<NodeOuRole, { organizationalUnitIdentifier: string; certificate?: string }>> =
    {};
  for (const role of NODE_OU_ROLES) {
    const identifier = identifierOf(ous, role);
    const ou = identifier?.getOrganizationalUnitIdentifier() ?? '';
    if (identifier === undefined || ou === '') throw fail(`NodeOUs have no ${role} OU identifier`);
    const certificate = identifier.getCertificate_asU8();
    nodeOus[role] =
      certificate.length === 0
        ? { organizationalUnitIdentifier: ou }
        : { organizationalUnitIdentifier: ou, certificate: text(certificate) };
  }
  const { client, peer, admin, orderer } = nodeOus;
  if (client === undefined || peer === undefined || admin === undefined || orderer === undefined)
    throw fail('incomplete NodeOUs');
  return Msp.fromConfig({
    mspId,
    rootCerts: config.getRootCertsList_asU8().map(text),
    intermediateCerts: config.getIntermediateCertsList_asU8().map(text),
    tlsRootCerts: config.getTlsRootCertsList_asU8().map(text),
    tlsIntermediateCerts: config.getTlsIntermediateCertsList_asU8().map(text),
    nodeOus: { client, peer, admin, orderer },
  });
}
