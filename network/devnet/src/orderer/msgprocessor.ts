/**
 * What the orderer does with a broadcast envelope before ordering it
 * (orderer/common/broadcast/broadcast.go `ProcessMessage`, `ClassifyError`;
 * orderer/common/msgprocessor/standardchannel.go `ClassifyMsg`, `ProcessNormalMsg`,
 * `ProcessConfigUpdateMsg`; filter.go, sizefilter.go, sigfilter.go; multichannel/registrar.go
 * `BroadcastChannelSupport`): a normal transaction must pass the filters (not empty, within
 * AbsoluteMaxBytes, its creator's signature satisfying `/Channel/Writers`); a `CONFIG_UPDATE` must
 * pass them too, then configtx validation against the current configuration, and becomes a `CONFIG`
 * transaction signed by the orderer, which must pass the filters again. Refusals carry Fabric's
 * statuses and texts.
 */
import { randomBytes } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { ChannelBundle } from '../channelconfig/bundle';
import { parseEnvelopeHeader } from '../common/protoutil';
import type { Signer } from '../common/trust';
import { DevnetError, inContext } from '../errors';
import { evaluateSignedDataAgainst } from '../policy';

/** The policy a broadcast envelope's creator must satisfy (policies.ChannelWriters). */
const CHANNEL_WRITERS = '/Channel/Writers';

type Status = (typeof common.Status)[keyof typeof common.Status];

/** What to do with a broadcast envelope. */
export type BroadcastVerdict =
  /** Order it as it is. */
  | { readonly kind: 'normal' }
  /** Order `envelope`, the CONFIG transaction the update produced, in a block of its own. */
  | { readonly kind: 'config'; readonly envelope: common.Envelope; readonly bundle: ChannelBundle }
  /** Answer `status` with `info`. */
  | { readonly kind: 'refused'; readonly status: Status; readonly info: string };

/** What the processor checks against. */
export interface ProcessorContext {
  readonly channelId: string;
  /** The configuration in force. */
  readonly bundle: ChannelBundle;
  /** The orderer's identity, which signs CONFIG transactions. */
  readonly signer: Signer;
}

/** broadcast.go `ClassifyError`: permission errors are FORBIDDEN, everything else BAD_REQUEST. */
function refusedWith(error: unknown): BroadcastVerdict {
  if (!(error instanceof DevnetError)) throw error;
  const status = error.code === 'PERMISSION_DENIED' ? common.Status.FORBIDDEN : common.Status.BAD_REQUEST;
  return { kind: 'refused', status, info: error.message };
}

/**
 * The standard channel's filters: EmptyRejectRule, MaxBytesRule, SigFilter(/Channel/Writers).
 * @throws DevnetError `PERMISSION_DENIED` (FORBIDDEN), or another code (BAD_REQUEST).
 */
function applyFilters(envelope: common.Envelope, bundle: ChannelBundle): void {
  const payload = envelope.getPayload_asU8();
  if (payload.length === 0) throw new DevnetError('MALFORMED_MESSAGE', 'Message was empty');
  const size = payload.length + envelope.getSignature_asU8().length;
  if (size > bundle.batching.absoluteMaxBytes)
    throw new DevnetError(
      'MALFORMED_MESSAGE',
      `message payload is ${size} bytes and exceeds maximum allowed ${bundle.batching.absoluteMaxBytes} bytes`,
    );
  let creator: Uint8Array;
  try {
    creator = parseEnvelopeHeader(envelope).creator;
  } catch (cause) {
    throw new DevnetError('MALFORMED_MESSAGE', `could not convert message to signedData: ${String(cause)}`, {
      cause,
    });
  }
  const policy = bundle.policy(CHANNEL_WRITERS);
  const verdict =
    policy === undefined
      ? { satisfied: false as const, reason: `could not find policy ${CHANNEL_WRITERS}` }
      : evaluateSignedDataAgainst(
          policy,
          [{ data: payload, identity: creator, signature: envelope.getSignature_asU8() }],
          bundle.msps,
        );
  if (!verdict.satisfied) {
    if (policy === undefined) throw new DevnetError('CONFIG_REFUSED', verdict.reason);
    // sigfilter.go wraps ErrPermissionDenied with the policy's error.
    throw new DevnetError('PERMISSION_DENIED', `${verdict.reason}: permission denied`);
  }
}

/** protoutil `CreateSignedEnvelope(CONFIG, …, 0, 0)`: version 0, epoch 0, a whole-second timestamp, no tx id. */
export function signedConfigTransaction(
  channelId: string,
  config: common.ConfigEnvelope,
  signer: Signer,
): common.Envelope {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.CONFIG);
  channelHeader.setVersion(0);
  const timestamp = new Timestamp();
  timestamp.setSeconds(Math.floor(Date.now() / 1000));
  channelHeader.setTimestamp(timestamp);
  channelHeader.setChannelId(channelId);
  channelHeader.setEpoch(0);
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(signer.identity);
  signatureHeader.setNonce(randomBytes(24));
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(config.serializeBinary());
  const payloadBytes = payload.serializeBinary();
  const envelope = new common.Envelope();
  envelope.setPayload(payloadBytes);
  envelope.setSignature(signer.sign(payloadBytes));
  return envelope;
}

/**
 * chainsupport.go `ProposeConfigUpdate`: the configtx validator's result, checked to make a usable
 * configuration that keeps every org's MSP id.
 * @throws DevnetError `CONFIG_REFUSED`
 */
function proposeConfigUpdate(
  envelope: common.Envelope,
  context: Readonly<ProcessorContext>,
): { config: common.ConfigEnvelope; bundle: ChannelBundle } {
  const config = context.bundle.validator.proposeConfigUpdate(envelope);
  const proposed = config.getConfig();
  if (proposed === undefined) throw new DevnetError('INTERNAL', 'configtx proposed no config');
  const bundle = ChannelBundle.fromConfig(context.channelId, proposed);
  context.bundle.validateNew(bundle);
  return { config, bundle };
}

/** standardchannel.go `ProcessConfigUpdateMsg`. */
function processConfigUpdate(
  envelope: common.Envelope,
  context: Readonly<ProcessorContext>,
): BroadcastVerdict {
  try {
    inContext('config update for existing channel did not pass initial checks', () => {
      applyFilters(envelope, context.bundle);
    });
    const proposal = inContext(
      `error applying config update to existing channel '${context.channelId}'`,
      () => proposeConfigUpdate(envelope, context),
    );
    const config = signedConfigTransaction(context.channelId, proposal.config, context.signer);
    // Re-applied to what the orderer built, as Fabric does: its size and the orderer's own signature.
    inContext('config update for existing channel did not pass final checks', () => {
      applyFilters(config, context.bundle);
    });
    return { kind: 'config', envelope: config, bundle: proposal.bundle };
  } catch (error) {
    return refusedWith(error);
  }
}

/** Decides what becomes of one broadcast envelope; never throws for a bad envelope. */
export function processBroadcast(
  envelope: common.Envelope,
  context: Readonly<ProcessorContext>,
): BroadcastVerdict {
  let header;
  try {
    header = parseEnvelopeHeader(envelope);
  } catch (err) {
    return {
      kind: 'refused',
      status: common.Status.BAD_REQUEST,
      info: err instanceof Error ? err.message : String(err),
    };
  }
  const channelId = header.channelHeader.getChannelId();
  if (channelId !== context.channelId)
    return { kind: 'refused', status: common.Status.NOT_FOUND, info: `channel ${channelId} not found` };
  switch (header.type) {
    case common.HeaderType.CONFIG_UPDATE:
      return processConfigUpdate(envelope, context);
    case common.HeaderType.CONFIG:
      return {
        kind: 'refused',
        status: common.Status.BAD_REQUEST,
        info: 'message is of type that cannot be processed directly',
      };
    case common.HeaderType.ORDERER_TRANSACTION:
      return {
        kind: 'refused',
        status: common.Status.BAD_REQUEST,
        info: 'message is of type that is no longer supported',
      };
    case common.HeaderType.ENDORSER_TRANSACTION:
      try {
        applyFilters(envelope, context.bundle);
        return { kind: 'normal' };
      } catch (error) {
        return refusedWith(error);
      }
    default:
      // Fabric orders any other type as a normal message; the devnet's peers would only mark it
      // UNKNOWN_TX_TYPE, so the devnet refuses it at once.
      return {
        kind: 'refused',
        status: common.Status.BAD_REQUEST,
        info: `unsupported header type ${header.type}`,
      };
  }
}
