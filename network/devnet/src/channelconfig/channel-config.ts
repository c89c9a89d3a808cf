/**
 * A node's current channel configuration (core/peer/channel.go `bundleSource`, the orderer's
 * `ChainSupport`): the bundle of the last config block it committed, replaced as each config block
 * is applied. Identities are checked against whatever configuration is current at the moment of the
 * check, so an org added by a config block is trusted from that block on.
 */
import {
  decodeSerializedIdentity,
  verify,
  type IdentityDeserializer,
  type MspIdentity,
} from '@veriscan/fabric-kit';
import type { IdentityVerifier } from '../common/trust';
import { DevnetError } from '../errors';
import type { ChannelBundle } from './bundle';

export class ChannelConfig {
  readonly channelId: string;
  #bundle: ChannelBundle | undefined;

  constructor(channelId: string, bundle?: ChannelBundle) {
    this.channelId = channelId;
    this.#bundle = bundle;
  }

  /** Whether a configuration has been applied (a peer has none before it commits block 0). */
  get isSet(): boolean {
    return this.#bundle !== undefined;
  }

  /**
   * The current configuration.
   * @throws DevnetError `FAILED_PRECONDITION` before the first config block.
   */
  get current(): ChannelBundle {
    if (this.#bundle === undefined)
      throw new DevnetError('FAILED_PRECONDITION', `channel ${this.channelId} has no configuration yet`);
    return this.#bundle;
  }

  /** Makes `bundle` the current configuration. */
  set(bundle: ChannelBundle): void {
    if (bundle.channelId !== this.channelId)
      throw new DevnetError(
        'INTERNAL',
        `a configuration of channel ${bundle.channelId} for ${this.channelId}`,
      );
    this.#bundle = bundle;
  }

  /** Validates identities with the current configuration's MSPs. */
  readonly deserializer: IdentityDeserializer = {
    deserialize: (serializedIdentity: Uint8Array): MspIdentity =>
      this.current.msps.deserialize(serializedIdentity),
  };

  /** The narrow identity checks of common/trust.ts, against the current configuration. */
  readonly identities: IdentityVerifier = {
    deserialize: (bytes) => {
      const id = this.deserializer.deserialize(bytes);
      return { mspId: id.mspId, role: id.role };
    },
    verify: ({ data, identity, signature }) => {
      try {
        this.deserializer.deserialize(identity);
        return verify(decodeSerializedIdentity(identity).certPem, data, signature);
      } catch {
        return false;
      }
    },
  };
}
