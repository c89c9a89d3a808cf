/**
 * The peer's Deliver service (core/peer/deliverevents.go, common/deliver): streams committed blocks
 * (with the peer's TRANSACTIONS_FILTER), filtered blocks, or blocks with (empty) private data to
 * channel members, so fabric-gateway's block events and the regulator's audit tooling get the
 * orderer-signed blocks the peer committed.
 */
import * as grpc from '@grpc/grpc-js';
import { common, peer } from '@hyperledger/fabric-protos';
import { parseDeliverRequest } from '../common/deliver-request';
import { parseEnvelope } from '../common/protoutil';
import type { IdentityVerifier } from '../common/trust';
import type { Ledger } from '../ledger/ledger';

type Kind = 'block' | 'filtered' | 'private';
type Stream = grpc.ServerDuplexStream<common.Envelope, peer.DeliverResponse>;

export interface DeliverServiceOptions {
  readonly channelId: string;
  readonly ledger: Ledger;
  readonly identities: IdentityVerifier;
}

const TRANSACTIONS_FILTER = common.BlockMetadataIndex.TRANSACTIONS_FILTER;

export function filteredBlock(block: common.Block, channelId: string): peer.FilteredBlock {
  const filter = block.getMetadata()?.getMetadataList_asU8()[TRANSACTIONS_FILTER] ?? new Uint8Array();
  const out = new peer.FilteredBlock();
  out.setChannelId(channelId);
  out.setNumber(block.getHeader()?.getNumber() ?? 0);
  out.setFilteredTransactionsList(
    (block.getData()?.getDataList_asU8() ?? []).map((bytes, txNum) => {
      const ft = new peer.FilteredTransaction();
      ft.setTxValidationCode(
        (filter[txNum] ??
          peer.TxValidationCode
            .NOT_VALIDATED) as (typeof peer.TxValidationCode)[keyof typeof peer.TxValidationCode],
      );
      try {
        const tx = parseEnvelope(bytes);
        ft.setTxid(tx.txId);
        ft.setType(tx.type as (typeof common.HeaderType)[keyof typeof common.HeaderType]);
        const eventBytes = tx.chaincodeAction?.getEvents_asU8() ?? new Uint8Array();
        if (tx.chaincodeAction !== undefined) {
          const actions = new peer.FilteredTransactionActions();
          const action = new peer.FilteredChaincodeAction();
          if (eventBytes.length > 0) {
            // Filtered blocks carry the event without its payload (core/peer/deliverevents.go).
            const event = peer.ChaincodeEvent.deserializeBinary(eventBytes);
            event.setPayload(new Uint8Array());
            action.setChaincodeEvent(event);
          }
          actions.setChaincodeActionsList([action]);
          ft.setTransactionActions(actions);
        }
      } catch {
        // An unparseable envelope is reported with its validation code only.
      }
      return ft;
    }),
  );
  return out;
}

export class DeliverService {
  readonly #o: DeliverServiceOptions;

  constructor(options: Readonly<DeliverServiceOptions>) {
    this.#o = options;
  }

  handlers(): peer.IDeliverServer {
    const bind = (kind: Kind) => (call: Stream) => {
      call.on('data', (envelope: common.Envelope) => {
        this.#serve(call, envelope, kind);
      });
      call.on('end', () => {
        call.end();
      });
      call.on('error', () => undefined);
    };
    return {
      deliver: bind('block'),
      deliverFiltered: bind('filtered'),
      deliverWithPrivateData: bind('private'),
    };
  }

  #serve(call: Stream, envelope: common.Envelope, kind: Kind): void {
    const ledger = this.#o.ledger;
    const status = (code: number): void => {
      const res = new peer.DeliverResponse();
      res.setStatus(code as (typeof common.Status)[keyof typeof common.Status]);
      call.write(res);
    };
    const request = parseDeliverRequest(envelope, {
      channelId: this.#o.channelId,
      identities: this.#o.identities,
      height: ledger.height,
      defaultStart: ledger.height,
    });
    if (!request.ok) {
      status(request.status);
      return;
    }
    let next = request.start;
    const stop = request.stop;
    if (request.failIfNotReady && next >= ledger.height) {
      status(common.Status.NOT_FOUND);
      return;
    }
    let unsubscribe: () => void = () => undefined;
    const pump = (): void => {
      while (next < ledger.height && next <= stop && !call.cancelled) {
        const block = ledger.block(next);
        if (block === undefined) break;
        const res = new peer.DeliverResponse();
        if (kind === 'filtered') res.setFilteredBlock(filteredBlock(block, this.#o.channelId));
        else if (kind === 'private') {
          const withPrivate = new peer.BlockAndPrivateData();
          withPrivate.setBlock(block);
          res.setBlockAndPrivateData(withPrivate);
        } else res.setBlock(block);
        call.write(res);
        next++;
      }
      if (next > stop) {
        unsubscribe();
        status(common.Status.SUCCESS);
      }
    };
    unsubscribe = ledger.onBlock(pump);
    call.on('cancelled', unsubscribe);
    call.on('close', unsubscribe);
    pump();
  }
}
