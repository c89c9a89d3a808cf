/**
 * Read-write sets (core/ledger/kvledger/txmgmt/rwsetutil): reads once per key with the version
 * read, range-query info, writes with last-value-wins, namespaces and keys sorted so every
 * endorsing peer produces byte-identical results.
 */
import { ledger } from '@hyperledger/fabric-protos';
import { compareUtf8 } from '../common/bytes';
import type { Version } from './state-db';

const { kvrwset } = ledger.rwset;

export interface RangeRead {
  readonly startKey: string;
  readonly endKey: string;
  readonly itrExhausted: boolean;
  readonly reads: readonly { readonly key: string; readonly version: Version | undefined }[];
}

export interface NamespaceRwSet {
  /** Keys read with the version seen (undefined when the key did not exist). */
  readonly reads: ReadonlyMap<string, Version | undefined>;
  readonly rangeQueries: readonly RangeRead[];
  /** Keys written; null is a delete. */
  readonly writes: ReadonlyMap<string, Uint8Array | null>;
}

export type RwSet = ReadonlyMap<string, NamespaceRwSet>;

function toVersion(v: Version): ledger.rwset.kvrwset.Version {
  const out = new kvrwset.Version();
  out.setBlockNum(v.blockNum);
  out.setTxNum(v.txNum);
  return out;
}

function toRead(key: string, version: Version | undefined): ledger.rwset.kvrwset.KVRead {
  const read = new kvrwset.KVRead();
  read.setKey(key);
  if (version !== undefined) read.setVersion(toVersion(version));
  return read;
}

function sortedEntries<V>(map: ReadonlyMap<string, V>): [string, V][] {
  return [...map.entries()].sort(([a], [b]) => compareUtf8(a, b));
}

/** Marshals a read-write set into `TxReadWriteSet` bytes. */
export function marshalRwSet(rwset: RwSet): Uint8Array {
  const tx = new ledger.rwset.TxReadWriteSet();
  tx.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
  for (const [namespace, ns] of sortedEntries(rwset)) {
    const kv = new kvrwset.KVRWSet();
    kv.setReadsList(sortedEntries(ns.reads).map(([key, version]) => toRead(key, version)));
    kv.setRangeQueriesInfoList(
      ns.rangeQueries.map((rq) => {
        const info = new kvrwset.RangeQueryInfo();
        info.setStartKey(rq.startKey);
        info.setEndKey(rq.endKey);
        info.setItrExhausted(rq.itrExhausted);
        const raw = new kvrwset.QueryReads();
        raw.setKvReadsList(rq.reads.map((r) => toRead(r.key, r.version)));
        info.setRawReads(raw);
        return info;
      }),
    );
    kv.setWritesList(
      sortedEntries(ns.writes).map(([key, value]) => {
        const write = new kvrwset.KVWrite();
        write.setKey(key);
        write.setIsDelete(value === null);
        if (value !== null) write.setValue(value);
        return write;
      }),
    );
    const nsRw = new ledger.rwset.NsReadWriteSet();
    nsRw.setNamespace(namespace);
    nsRw.setRwset(kv.serializeBinary());
    tx.addNsRwset(nsRw);
  }
  return tx.serializeBinary();
}

function fromVersion(v: ledger.rwset.kvrwset.Version | undefined): Version | undefined {
  return v === undefined ? undefined : { blockNum: v.getBlockNum(), txNum: v.getTxNum() };
}

/** Parses `TxReadWriteSet` bytes. @throws Error on malformed input (the tx is then BAD_RWSET). */
export function unmarshalRwSet(bytes: Uint8Array): RwSet {
  const tx = ledger.rwset.TxReadWriteSet.deserializeBinary(bytes);
  const out = new Map<string, NamespaceRwSet>();
  for (const nsRw of tx.getNsRwsetList()) {
    const kv = kvrwset.KVRWSet.deserializeBinary(nsRw.getRwset_asU8());
    const reads = new Map<string, Version | undefined>();
    for (const r of kv.getReadsList()) reads.set(r.getKey(), fromVersion(r.getVersion()));
    const writes = new Map<string, Uint8Array | null>();
    for (const w of kv.getWritesList()) {
      const value = w.getValue_asU8();
      // An empty value is a delete too (rwsetutil newKVWrite).
      writes.set(w.getKey(), w.getIsDelete() || value.length === 0 ? null : value);
    }
    const rangeQueries = kv.getRangeQueriesInfoList().map((info) => ({
      startKey: info.getStartKey(),
      endKey: info.getEndKey(),
      itrExhausted: info.getItrExhausted(),
      reads: (info.getRawReads()?.getKvReadsList() ?? []).map((r) => ({
        key: r.getKey(),
        version: fromVersion(r.getVersion()),
      })),
    }));
    out.set(nsRw.getNamespace(), { reads, rangeQueries, writes });
  }
  return out;
}
