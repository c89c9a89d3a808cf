/**
 * A Deliver request as the orderer and the peer both read it (common/deliver/deliver.go): a signed
 * envelope whose payload is a SeekInfo for the channel, turned into a block range.
 */
import { common, orderer } from '@hyperledger/fabric-protos';
import type { IdentityVerifier } from './trust';

export type DeliverRequest =
  | { readonly ok: true; readonly start: number; readonly stop: number; readonly failIfNotReady: boolean }
  | { readonly ok: false; readonly status: number };

export interface DeliverContext {
  readonly channelId: string;
  readonly identities: IdentityVerifier;
  /** Current height of the ledger the blocks come from. */
  readonly height: number;
  /** Start when the request names none (the orderer starts at 0, the peer at its height). */
  readonly defaultStart: number;
}

/** Checks channel and signature and resolves the seek positions; never throws. */
export function parseDeliverRequest(
  envelope: common.Envelope,
  ctx: Readonly<DeliverContext>,
): DeliverRequest {
  let seek: orderer.SeekInfo;
  try {
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const header = payload.getHeader();
    const ch = common.ChannelHeader.deserializeBinary(header?.getChannelHeader_asU8() ?? new Uint8Array());
    if (ch.getChannelId() !== ctx.channelId) return { ok: false, status: common.Status.NOT_FOUND };
    const sh = common.SignatureHeader.deserializeBinary(
      header?.getSignatureHeader_asU8() ?? new Uint8Array(),
    );
    const signed = {
      data: envelope.getPayload_asU8(),
      identity: sh.getCreator_asU8(),
      signature: envelope.getSignature_asU8(),
    };
    if (!ctx.identities.verify(signed)) return { ok: false, status: common.Status.FORBIDDEN };
    seek = orderer.SeekInfo.deserializeBinary(payload.getData_asU8());
  } catch {
    return { ok: false, status: common.Status.BAD_REQUEST };
  }
  const position = (p: orderer.SeekPosition | undefined, fallback: number): number => {
    if (p?.hasOldest() === true) return 0;
    if (p?.hasNewest() === true) return Math.max(0, ctx.height - 1);
    if (p?.hasSpecified() === true) return p.getSpecified()?.getNumber() ?? fallback;
    return fallback;
  };
  return {
    ok: true,
    start: position(seek.getStart(), ctx.defaultStart),
    stop: position(seek.getStop(), Number.MAX_SAFE_INTEGER),
    failIfNotReady: seek.getBehavior() === orderer.SeekInfo.SeekBehavior.FAIL_IF_NOT_READY,
  };
}
