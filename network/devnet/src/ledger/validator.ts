/**
 * Block validation on commit: message checks (core/common/validation/msgvalidation.go), the
 * endorsement policy (core/committer/txvalidator/v20, statebased/validator_keylevel.go) and MVCC
 * with phantom-read detection in block order (core/ledger/kvledger/txmgmt/validation/validator.go).
 */
import { common, peer } from '@hyperledger/fabric-protos';
import { bytesEqual, compareUtf8, concatBytes, sha256 } from '../common/bytes';
import { computeTxId, parseEnvelope, type ParsedTransaction } from '../common/protoutil';
import type { IdentityVerifier, PolicyFactory, SignedData } from '../common/trust';
import { LIFECYCLE_NAMESPACE } from '../chaincode/lifecycle';
import { definitionOf, LIFECYCLE_POLICY } from './lifecycle-state';
import { unmarshalRwSet, type RangeRead, type RwSet } from './rwset';
import { sameVersion, type StateDb, type Version } from './state-db';

export const Code = peer.TxValidationCode;
export type ValidationCode = (typeof Code)[keyof typeof Code];

export interface ValidatedTx {
  readonly code: ValidationCode;
  readonly txId: string;
  readonly parsed?: ParsedTransaction;
  readonly rwset?: RwSet;
}

export interface ValidatorDeps {
  readonly channelId: string;
  readonly identities: IdentityVerifier;
  readonly policies: PolicyFactory;
  readonly state: StateDb;
  /** True when the txid is already in a committed block. */
  readonly isCommittedTxId: (txId: string) => boolean;
}

/** Pending writes of earlier valid transactions in the same block. */
type BlockUpdates = Map<string, Map<string, Uint8Array | null>>;

function checkMessage(deps: ValidatorDeps, tx: ParsedTransaction, seen: ReadonlySet<string>): ValidationCode {
  if (tx.type !== common.HeaderType.ENDORSER_TRANSACTION) return Code.UNKNOWN_TX_TYPE;
  if (tx.channelHeader.getChannelId() !== deps.channelId) return Code.TARGET_CHAIN_NOT_FOUND;
  if (tx.creator.length === 0) return Code.BAD_COMMON_HEADER;
  const signed: SignedData = {
    data: tx.payloadBytes,
    identity: tx.creator,
    signature: tx.envelope.getSignature_asU8(),
  };
  if (!deps.identities.verify(signed)) return Code.BAD_CREATOR_SIGNATURE;
  if (tx.txId !== computeTxId(tx.signatureHeader.getNonce_asU8(), tx.creator)) return Code.BAD_PROPOSAL_TXID;
  if (seen.has(tx.txId) || deps.isCommittedTxId(tx.txId)) return Code.DUPLICATE_TXID;
  if (
    tx.actionPayload === undefined ||
    tx.chaincodeAction === undefined ||
    tx.proposalResponsePayload === undefined
  ) {
    return Code.INVALID_ENDORSER_TRANSACTION;
  }
  const proposalHash = sha256(
    tx.channelHeaderBytes,
    tx.signatureHeaderBytes,
    tx.actionPayload.getChaincodeProposalPayload_asU8(),
  );
  if (!bytesEqual(proposalHash, tx.proposalResponsePayload.getProposalHash_asU8()))
    return Code.INVALID_ENDORSER_TRANSACTION;
  return Code.VALID;
}

function chaincodeNameOf(tx: ParsedTransaction): string {
  try {
    return (
      peer.ChaincodeHeaderExtension.deserializeBinary(tx.channelHeader.getExtension_asU8())
        .getChaincodeId()
        ?.getName() ?? ''
    );
  } catch {
    return '';
  }
}

function checkEndorsement(deps: ValidatorDeps, tx: ParsedTransaction, rwset: RwSet): ValidationCode {
  const action = tx.chaincodeAction;
  const prpBytes = tx.proposalResponsePayloadBytes;
  if (action === undefined || prpBytes === undefined) return Code.INVALID_ENDORSER_TRANSACTION;
  const name = chaincodeNameOf(tx);
  const actionId = action.getChaincodeId();
  const signatures: SignedData[] = tx.endorsements.map((e) => ({
    data: concatBytes(prpBytes, e.getEndorser_asU8()),
    identity: e.getEndorser_asU8(),
    signature: e.getSignature_asU8(),
  }));
  const policyFor = (namespace: string): string | undefined =>
    namespace === LIFECYCLE_NAMESPACE
      ? LIFECYCLE_POLICY
      : definitionOf(deps.state, namespace)?.endorsementPolicy;

  if (name !== LIFECYCLE_NAMESPACE) {
    const def = definitionOf(deps.state, name);
    if (def === undefined || actionId?.getName() !== name || actionId.getVersion() !== def.version)
      return Code.INVALID_CHAINCODE;
  }
  const eventBytes = action.getEvents_asU8();
  if (eventBytes.length > 0) {
    const event = peer.ChaincodeEvent.deserializeBinary(eventBytes);
    if (event.getChaincodeId() !== name) return Code.INVALID_OTHER_REASON;
  }
  // The invoked chaincode's policy, and that of every other namespace the transaction writes.
  const namespaces = new Set<string>([name]);
  for (const [ns, set] of rwset) if (set.writes.size > 0 && ns !== LIFECYCLE_NAMESPACE) namespaces.add(ns);
  if ([...rwset.entries()].some(([ns, set]) => ns === LIFECYCLE_NAMESPACE && set.writes.size > 0))
    namespaces.add(LIFECYCLE_NAMESPACE);
  for (const ns of namespaces) {
    const source = policyFor(ns);
    if (source === undefined) return Code.ENDORSEMENT_POLICY_FAILURE;
    let satisfied: boolean;
    try {
      satisfied = deps.policies.parse(source).evaluate(signatures);
    } catch {
      satisfied = false;
    }
    if (!satisfied) return Code.ENDORSEMENT_POLICY_FAILURE;
  }
  return Code.VALID;
}

function committedVersion(state: StateDb, ns: string, key: string): Version | undefined {
  return state.get(ns, key)?.version;
}

function rangeStillSame(state: StateDb, updates: BlockUpdates, ns: string, rq: RangeRead): boolean {
  // Re-run the range over committed state plus earlier writes of this block; the end is
  // inclusive unless the iterator was exhausted (validation/rangequery_validator.go).
  const nsUpdates = updates.get(ns);
  const inRange = (key: string): boolean =>
    compareUtf8(key, rq.startKey) >= 0 &&
    (rq.endKey === '' ||
      (rq.itrExhausted ? compareUtf8(key, rq.endKey) < 0 : compareUtf8(key, rq.endKey) <= 0));
  for (const key of nsUpdates?.keys() ?? []) if (inRange(key)) return false;
  const current: { key: string; version: Version }[] = [];
  for (const [key, value] of state.range(ns, rq.startKey, '')) {
    if (!inRange(key)) {
      if (rq.endKey !== '' && compareUtf8(key, rq.endKey) > 0) break;
      continue;
    }
    current.push({ key, version: value.version });
  }
  if (current.length !== rq.reads.length) return false;
  return current.every((c, i) => {
    const r = rq.reads[i];
    return r !== undefined && r.key === c.key && sameVersion(r.version, c.version);
  });
}

function checkMvcc(state: StateDb, updates: BlockUpdates, rwset: RwSet): ValidationCode {
  for (const [ns, set] of rwset) {
    const nsUpdates = updates.get(ns);
    for (const [key, version] of set.reads) {
      if (nsUpdates?.has(key) === true) return Code.MVCC_READ_CONFLICT;
      if (!sameVersion(committedVersion(state, ns, key), version)) return Code.MVCC_READ_CONFLICT;
    }
    for (const rq of set.rangeQueries)
      if (!rangeStillSame(state, updates, ns, rq)) return Code.PHANTOM_READ_CONFLICT;
  }
  return Code.VALID;
}

/** Validates every transaction of a block in order. Does not modify state. */
export function validateBlock(deps: ValidatorDeps, block: common.Block): ValidatedTx[] {
  const seen = new Set<string>();
  const updates: BlockUpdates = new Map();
  return (
    block
      .getData()
      ?.getDataList_asU8()
      .map((envelopeBytes) => {
        let parsed: ParsedTransaction;
        try {
          parsed = parseEnvelope(envelopeBytes);
        } catch {
          return { code: Code.BAD_PAYLOAD, txId: '' };
        }
        const code = checkMessage(deps, parsed, seen);
        if (parsed.txId !== '' && code !== Code.BAD_PROPOSAL_TXID) seen.add(parsed.txId);
        if (code !== Code.VALID) return { code, txId: parsed.txId, parsed };
        let rwset: RwSet;
        try {
          rwset = unmarshalRwSet(parsed.chaincodeAction?.getResults_asU8() ?? new Uint8Array());
        } catch {
          return { code: Code.BAD_RWSET, txId: parsed.txId, parsed };
        }
        const endorsement = checkEndorsement(deps, parsed, rwset);
        if (endorsement !== Code.VALID) return { code: endorsement, txId: parsed.txId, parsed };
        const mvcc = checkMvcc(deps.state, updates, rwset);
        if (mvcc !== Code.VALID) return { code: mvcc, txId: parsed.txId, parsed };
        for (const [ns, set] of rwset) {
          let nsUpdates = updates.get(ns);
          if (nsUpdates === undefined) {
            nsUpdates = new Map();
            updates.set(ns, nsUpdates);
          }
          for (const [key, value] of set.writes) nsUpdates.set(key, value);
        }
        return { code: Code.VALID, txId: parsed.txId, parsed, rwset };
      }) ?? []
  );
}
