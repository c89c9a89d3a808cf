/**
 * A channel configuration update as a client hands it to the ordering service, the way `peer channel
 * signconfigtx` and `peer channel update` build it (internal/peer/channel/sign.go, update.go;
 * protoutil `CreateSignedEnvelope`): a `ConfigUpdateEnvelope` whose signatures each cover
 * `signature_header ‖ config_update`, wrapped in a `CONFIG_UPDATE` envelope signed by its submitter.
 */
import { randomBytes } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import type { EnvelopeSigner, ProtoTimestamp } from './genesis.js';

const NONCE_BYTES = 24;

function signatureHeader(signer: EnvelopeSigner): Uint8Array {
  const header = new common.SignatureHeader();
  header.setCreator(signer.identity);
  header.setNonce(randomBytes(NONCE_BYTES));
  return header.serializeBinary();
}

/** An unsigned `ConfigUpdateEnvelope` around `update`. */
export function configUpdateEnvelope(update: common.ConfigUpdate): common.ConfigUpdateEnvelope {
  const envelope = new common.ConfigUpdateEnvelope();
  envelope.setConfigUpdate(update.serializeBinary());
  return envelope;
}

/**
 * Adds `signer`'s signature to the envelope (`peer channel signconfigtx`): a fresh signature header
 * naming the signer, and an ECDSA signature over that header's bytes followed by the update's.
 */
export function signConfigUpdate(envelope: common.ConfigUpdateEnvelope, signer: EnvelopeSigner): void {
  const header = signatureHeader(signer);
  const signature = new common.ConfigSignature();
  signature.setSignatureHeader(header);
  signature.setSignature(
    signer.sign(Buffer.concat([Buffer.from(header), Buffer.from(envelope.getConfigUpdate_asU8())])),
  );
  envelope.addSignatures(signature);
}

/**
 * The `CONFIG_UPDATE` envelope `submitter` broadcasts for channel `channelId` (channel header version
 * 0, epoch 0, no transaction id, as `peer channel update` sends it).
 */
export function configUpdateTransaction(
  channelId: string,
  update: common.ConfigUpdateEnvelope,
  submitter: EnvelopeSigner,
  timestamp?: ProtoTimestamp,
): common.Envelope {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.CONFIG_UPDATE);
  channelHeader.setVersion(0);
  channelHeader.setChannelId(channelId);
  channelHeader.setEpoch(0);
  if (timestamp !== undefined) channelHeader.setTimestamp(timestamp);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader(submitter));
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(update.serializeBinary());
  const payloadBytes = payload.serializeBinary();
  const envelope = new common.Envelope();
  envelope.setPayload(payloadBytes);
  envelope.setSignature(submitter.sign(payloadBytes));
  return envelope;
}
