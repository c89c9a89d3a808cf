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

/**
 * Checks consecutive blocks. `identities` must know the orderer org's MSP; a signature counts only
 * when its creator is a valid identity with the orderer role.
 */
export function checkBlocks(blocks: readonly Uint8Array[], identities: IdentityVerifier): BlockCheck[] {
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
    checks.push(ordererSignatureCheck(block, header, identities));
    previous = header;
  }
  return checks;
}

function ordererSignatureCheck(
  block: common.Block,
  header: common.BlockHeader,
  identities: IdentityVerifier,
): BlockCheck {
  const number = header.getNumber();
  const raw = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES];
  if (raw === undefined || raw.length === 0)
    return { block: number, name: 'orderer-signature', ok: false, detail: 'no SIGNATURES metadata' };
  const metadata = common.Metadata.deserializeBinary(raw);
  const headerDer = new Uint8Array(blockHeaderDer(header));
  const valid: string[] = [];
  for (const sig of metadata.getSignaturesList()) {
    const sigHeaderBytes = sig.getSignatureHeader_asU8();
    if (sigHeaderBytes.length === 0) continue; // BFT identifier headers name a consenter id, not a certificate
    const creator = common.SignatureHeader.deserializeBinary(sigHeaderBytes).getCreator_asU8();
    let role = '';
    let mspId = '';
    try {
      ({ role, mspId } = identities.deserialize(creator));
    } catch {
      continue;
    }
    const data = concatBytes(metadata.getValue_asU8(), sigHeaderBytes, headerDer);
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
