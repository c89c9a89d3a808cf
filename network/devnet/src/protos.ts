/**
 * The Fabric protobuf messages the devnet is built on, re-exported for tests and tools.
 * google-protobuf registers message classes on one global namespace, so two versions of
 * @hyperledger/fabric-protos in one process overwrite each other's classes (0.2.x lacks fields
 * 0.3.x has, e.g. MetadataSignature.identifier_header): code beside the devnet imports from here.
 */
export { common, gateway, ledger, msp, orderer, peer } from '@hyperledger/fabric-protos';
