/**
 * Offline block checks for auditors: the header hash chain, each block's data hash and the
 * orderer signatures in its SIGNATURES metadata (protoutil/blockutils.go, orderer
 * multichannel/blockwriter.go). Network-agnostic: the same code checks devnet and real Fabric
 * blocks, taken as marshalled bytes so any protobuf library's blocks can be fed in.
 */
import { common } from '@hyperledger/fabric-protos';
import { bytesEqual, concatBytes } from '../common/bytes';
import { blockDataHash, blockHeaderDer, blockHeaderHash } from '../common/protoutil';
import type { IdentityVerifier } from '../common/trust';

export interface BlockCheck {
  readonly block: number;
  readonly name: 'data-hash' | 'previous-hash' | 'orderer-signature';
  readonly ok: boolean;
  readonly detail: string;
}

export interface BlockCheckOptions {
  /**
   * BFT consenters by id (the channel config's ConsenterMapping) as serialized identities: SmartBFT
   * signatures name their signer by consenter id in an identifier header instead of a creator.
   */
  readonly consenters?: ReadonlyMap<number, Uint8Array>;
}

/**
 * Checks consecutive blocks. `identities` must know the orderer org's MSP; a signature counts only
 * when its signer is a valid identity with the orderer role. Block 0 (the genesis config block) is
 * not signed by an orderer on Fabric (configtxgen writes it): it is trusted out of band, as the
 * channel's root, so it gets no signature check.
 */
export function checkBlocks(
  blocks: readonly Uint8Array[],
  identities: IdentityVerifier,
  options: Readonly<BlockCheckOptions> = {},
): BlockCheck[] {
  const checks: BlockCheck[] = [];
  let previous: common.BlockHeader | undefined;
  for (const bytes of blocks) {
    const block = common.Block.deserializeBinary(bytes);
    const header = block.getHeader();
    const number = header?.getNumber() ?? -1;
    if (header === undefined) {
      checks.push({ block: number, name: 'data-hash', ok: false, detail: 'block has no header' });
      continue;
    }
    const dataHash = blockDataHash(block.getData()?.getDataList_asU8() ?? []);
    checks.push({
      block: number,
      name: 'data-hash',
      ok: bytesEqual(dataHash, header.getDataHash_asU8()),
      detail: `SHA-256 of the block's envelopes ${bytesEqual(dataHash, header.getDataHash_asU8()) ? 'matches' : 'differs from'} header.data_hash`,
    });
    if (previous !== undefined) {
      const expected = blockHeaderHash(previous);
      const ok = previous.getNumber() + 1 === number && bytesEqual(expected, header.getPreviousHash_asU8());
      checks.push({
        block: number,
        name: 'previous-hash',
        ok,
        detail: ok
          ? `links to block ${previous.getNumber()}`
          : `does not link to block ${previous.getNumber()}`,
      });
    }
    if (number !== 0) checks.push(ordererSignatureCheck(block, header, identities, options.consenters));
    previous = header;
  }
  return checks;
}

function ordererSignatureCheck(
  block: common.Block,
  header: common.BlockHeader,
  identities: IdentityVerifier,
  consenters: ReadonlyMap<number, Uint8Array> | undefined,
): BlockCheck {
  const number = header.getNumber();
  const raw = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES];
  if (raw === undefined || raw.length === 0)
    return { block: number, name: 'orderer-signature', ok: false, detail: 'no SIGNATURES metadata' };
  const metadata = common.Metadata.deserializeBinary(raw);
  const headerDer = new Uint8Array(blockHeaderDer(header));
  const valid: string[] = [];
  for (const sig of metadata.getSignaturesList()) {
    // Raft and solo: a signature header with the creator. SmartBFT: an identifier header with a consenter id.
    const sigHeaderBytes = sig.getSignatureHeader_asU8();
    const idHeaderBytes = sig.getIdentifierHeader_asU8();
    const headerBytes = sigHeaderBytes.length > 0 ? sigHeaderBytes : idHeaderBytes;
    const creator =
      sigHeaderBytes.length > 0
        ? common.SignatureHeader.deserializeBinary(sigHeaderBytes).getCreator_asU8()
        : consenters?.get(common.IdentifierHeader.deserializeBinary(idHeaderBytes).getIdentifier());
    if (creator === undefined) continue;
    let role = '';
    let mspId = '';
    try {
      ({ role, mspId } = identities.deserialize(creator));
    } catch {
      continue;
    }
    const data = concatBytes(metadata.getValue_asU8(), headerBytes, headerDer);
    if (
      role === 'orderer' &&
      identities.verify({ data, identity: creator, signature: sig.getSignature_asU8() })
    )
      valid.push(mspId);
  }
  return {
    block: number,
    name: 'orderer-signature',
    ok: valid.length > 0,
    detail:
      valid.length > 0
        ? `${valid.length} valid orderer signature(s) by ${[...new Set(valid)].join(', ')}`
        : 'no valid orderer signature',
  };
}
