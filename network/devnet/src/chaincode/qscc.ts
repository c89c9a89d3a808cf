/**
 * The ledger query system chaincode (core/scc/qscc/query.go) as far as clients use it through the
 * Gateway: `GetChainInfo(channel)` and `GetBlockByNumber(channel, number)`, with Fabric's argument
 * checks and texts. Runs inside the peer, like `_lifecycle`; Fabric's gateway counts every peer as
 * having it (internal/pkg/gateway/registry.go `hasChaincode`: `IsSysCC`).
 */
import { common, peer } from '@hyperledger/fabric-protos';
import { blockHeaderHash } from '../common/protoutil';
import type { Ledger } from '../ledger/ledger';

/** The system chaincode's name. */
export const QSCC = 'qscc';

function respond(status: number, message: string, payload?: Uint8Array): peer.Response {
  const res = new peer.Response();
  res.setStatus(status);
  res.setMessage(message);
  if (payload !== undefined) res.setPayload(payload);
  return res;
}

const fail = (message: string): peer.Response => respond(500, message);

function chainInfo(ledger: Ledger): peer.Response {
  const info = new common.BlockchainInfo();
  info.setHeight(ledger.height);
  const last = ledger.block(ledger.height - 1)?.getHeader();
  if (last !== undefined) {
    info.setCurrentblockhash(blockHeaderHash(last));
    info.setPreviousblockhash(last.getPreviousHash_asU8());
  }
  return respond(200, '', info.serializeBinary());
}

function blockByNumber(ledger: Ledger, raw: Uint8Array): peer.Response {
  const text = Buffer.from(raw).toString('utf8');
  if (!/^[0-9]+$/.test(text))
    return fail(
      `Failed to parse block number with error strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`,
    );
  const number = Number.parseInt(text, 10);
  const block = ledger.block(number);
  if (block === undefined)
    return fail(`Failed to get block number ${number}, error entry not found in index`);
  return respond(200, '', block.serializeBinary());
}

/** Answers a qscc invocation on `channelId`'s ledger. */
export function invokeQscc(args: readonly Uint8Array[], channelId: string, ledger: Ledger): peer.Response {
  if (args.length < 2) return fail(`Incorrect number of arguments, ${args.length}`);
  const fname = Buffer.from(args[0] ?? new Uint8Array()).toString('utf8');
  const cid = Buffer.from(args[1] ?? new Uint8Array()).toString('utf8');
  if (fname !== 'GetChainInfo' && args.length < 3) return fail(`missing 3rd argument for ${fname}`);
  if (cid !== channelId) return fail(`Invalid chain ID, ${cid}`);
  switch (fname) {
    case 'GetChainInfo':
      return chainInfo(ledger);
    case 'GetBlockByNumber':
      return blockByNumber(ledger, args[2] ?? new Uint8Array());
    default:
      // GetTransactionByID, GetBlockByHash and GetBlockByTxID exist in Fabric; the devnet does not serve them yet.
      return fail(`Requested function ${fname} not found.`);
  }
}
