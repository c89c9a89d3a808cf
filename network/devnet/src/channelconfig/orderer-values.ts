/**
 * The orderer group's batching values as an orderer reads them from a channel configuration
 * (common/channelconfig/orderer.go `validateBatchSize`, `validateBatchTimeout`), refused with
 * Fabric's texts when they could not work.
 */
import { common, orderer } from '@hyperledger/fabric-protos';
import { goDurationString, parseGoDuration } from '@veriscan/fabric-kit';
import { DevnetError } from '../errors';

/** What the orderer batches by. */
export interface OrdererBatching {
  readonly batchTimeoutMs: number;
  readonly maxMessageCount: number;
  readonly preferredMaxBytes: number;
  readonly absoluteMaxBytes: number;
}

const refused = (message: string): DevnetError => new DevnetError('CONFIG_REFUSED', message);

function valueOf<T>(group: common.ConfigGroup, key: string, decode: (bytes: Uint8Array) => T): T {
  const value = group.getValuesMap().get(key);
  if (value === undefined) throw refused(`the Orderer group has no ${key} value`);
  try {
    return decode(value.getValue_asU8());
  } catch (cause) {
    throw new DevnetError('CONFIG_REFUSED', `failed to deserialize values: ${key} does not decode`, {
      cause,
    });
  }
}

/**
 * The batching of the `Orderer` group.
 * @throws DevnetError `CONFIG_REFUSED` with Fabric's text for a value Fabric refuses.
 */
export function ordererBatching(group: common.ConfigGroup): OrdererBatching {
  const size = valueOf(group, 'BatchSize', (b) => orderer.BatchSize.deserializeBinary(b));
  const timeout = valueOf(group, 'BatchTimeout', (b) => orderer.BatchTimeout.deserializeBinary(b));
  const maxMessageCount = size.getMaxMessageCount();
  const absoluteMaxBytes = size.getAbsoluteMaxBytes();
  const preferredMaxBytes = size.getPreferredMaxBytes();
  if (maxMessageCount === 0)
    throw refused('Attempted to set the batch size max message count to an invalid value: 0');
  if (absoluteMaxBytes === 0)
    throw refused('Attempted to set the batch size absolute max bytes to an invalid value: 0');
  if (preferredMaxBytes === 0)
    throw refused('Attempted to set the batch size preferred max bytes to an invalid value: 0');
  if (preferredMaxBytes > absoluteMaxBytes)
    throw refused(
      `Attempted to set the batch size preferred max bytes (${preferredMaxBytes}) greater than the absolute max bytes (${absoluteMaxBytes}).`,
    );
  let batchTimeoutMs: number;
  try {
    batchTimeoutMs = parseGoDuration(timeout.getTimeout());
  } catch (cause) {
    throw new DevnetError(
      'CONFIG_REFUSED',
      `Attempted to set the batch timeout to a invalid value: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  if (batchTimeoutMs <= 0) {
    const shown = Number.isSafeInteger(-batchTimeoutMs)
      ? `${batchTimeoutMs < 0 ? '-' : ''}${goDurationString(-batchTimeoutMs)}`
      : timeout.getTimeout();
    throw refused(`Attempted to set the batch timeout to a non-positive value: ${shown}`);
  }
  return { batchTimeoutMs, maxMessageCount, preferredMaxBytes, absoluteMaxBytes };
}
