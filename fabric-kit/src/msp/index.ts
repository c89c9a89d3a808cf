/** Public surface of the MSP code: crypto material, signing, identities (Fabric's msp/, internal/cryptogen). */
export {
  COMPLETE_MARKER,
  cryptoLayout,
  orgByMspId,
  userByMember,
  type CryptoLayout,
  type LocalMspFiles,
  type NodeMaterial,
  type OrgMaterial,
  type TlsFiles,
  type UserMaterial,
  type UserWithOrg,
} from './layout.js';
export {
  ensureCryptoMaterial,
  generateCryptoMaterial,
  generateOrgMaterial,
  type GenerateOptions,
  type GenerateResult,
} from './generate.js';
export {
  CertificateAuthority,
  generateKey,
  type GeneratedKey,
  type IssueRequest,
  type SubjectSpec,
} from './certificate-authority.js';
export { consortiumTlsRoots, issueServiceTls, type ServiceTls } from './service-tls.js';
export {
  FABRIC_CA_ATTRIBUTES_OID,
  decodeCertAttributes,
  encodeCertAttributes,
  type CertAttributes,
} from './fabric-ca-attributes.js';
export {
  nodeOusConfigYaml,
  parseMspYamlConfig,
  type MspYamlConfig,
  type NodeOuIdentifier,
} from './node-ous.js';
export {
  P256_ORDER,
  encodeDerSignature,
  isLowS,
  parseDerSignature,
  toHighS,
  toLowS,
  type EcdsaSignatureValue,
} from './ecdsa-signature.js';
export { EcdsaSigner, verify } from './signer.js';
export {
  certificateSignature,
  replaceCertificateSignature,
  sanitizeCertificate,
} from './certificate-sanitizer.js';
export { MspError, MspErrorCode } from './errors.js';
export {
  Msp,
  MspManager,
  decodeSerializedIdentity,
  serializeIdentity,
  type IdentityDeserializer,
  type MspConfig,
  type MspIdentity,
} from './msp.js';
export { mspFromChannelConfig } from './msp-from-config.js';
export { x509 } from './x509.js';
