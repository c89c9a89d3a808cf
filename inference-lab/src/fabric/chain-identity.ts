/**
 * Which chain a durable checkpoint belongs to. A block number means nothing on another chain: after the
 * network is reset (a fresh devnet, a new Fabric channel) an old checkpoint would point past the new
 * chain's height, and the lab would wait for events that never come. The identity is the data hash of
 * block 0 (the channel's genesis), read with qscc; a checkpoint recorded for another identity is dropped.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Network } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';

/** Hex data hash of the channel's block 0, as the peer serves it. */
export async function chainIdentity(network: Network): Promise<string> {
  const bytes = await network
    .getContract('qscc')
    .evaluateTransaction('GetBlockByNumber', network.getName(), '0');
  const hash = common.Block.deserializeBinary(bytes).getHeader()?.getDataHash_asU8() ?? new Uint8Array();
  return Buffer.from(hash).toString('hex');
}

/**
 * Keeps `checkpointFile` only if it was recorded on the chain `identity`; records the identity beside it
 * (`<file>.chain`). Returns true when a checkpoint of another chain was dropped.
 */
export function bindCheckpointToChain(checkpointFile: string, identity: string): boolean {
  const marker = `${checkpointFile}.chain`;
  const recorded = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : undefined;
  let dropped = false;
  if (recorded !== identity) {
    // No marker (an older lab) or another chain: the checkpoint cannot be trusted for this one.
    dropped = existsSync(checkpointFile);
    rmSync(checkpointFile, { force: true });
    writeFileSync(marker, `${identity}\n`);
  }
  return dropped;
}
