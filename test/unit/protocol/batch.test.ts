import { expect } from 'chai';

import {
  type BatchAnchor,
  BatchLog,
  EMPTY_LOG,
  ProtocolError,
  buildBatch,
  bytesToHex,
  parseReceipt,
  receiptHash,
  batchLeaf,
  verifyAnchorAppend,
  verifyLogConsistency,
  verifyReceiptInBatch,
  isMemberId,
  canonicalize,
} from '../../../protocol/src/index.js';
import { receiptCanonicalJson } from '../../../protocol/src/receipt.js';
import { hex, receipt } from './fixtures.js';
import { Json } from './vector-file.js';

const vectors = Json.load('receipts.json');
const receipts = vectors
  .get('receipts')
  .items()
  .map((r) => parseReceipt(r.value));
const labId = vectors.get('lab').str();
if (!isMemberId(labId)) throw new Error('vector lab is not a member id');
const lab = labId;

/** Builds the vector log: its batches, anchors and the proofs that came with each anchor. */
function vectorLog(): {
  log: BatchLog;
  anchors: BatchAnchor[];
  proofs: ReturnType<BatchLog['append']>['proof'][];
} {
  const log = new BatchLog({ lab });
  const anchors: BatchAnchor[] = [];
  const proofs: ReturnType<BatchLog['append']>['proof'][] = [];
  for (const b of vectors.get('batches').items()) {
    const batch = buildBatch({
      lab,
      sequence: b.get('sequence').num(),
      receipts: receipts.slice(b.get('from').num(), b.get('to').num()),
    });
    const { anchor, proof } = log.append(batch);
    anchors.push(anchor);
    proofs.push(proof);
  }
  return { log, anchors, proofs };
}

describe('receipts, batches and the batch log', () => {
  it('writes the same canonical receipt text on its fast path as the general canonicaliser', () => {
    for (const r of [...receipts, receipt(12345)]) expect(receiptCanonicalJson(r)).to.equal(canonicalize(r));
    const unusual = { ...receipt(1), completedAt: 'a "quoted" \\ é' };
    expect(receiptCanonicalJson(unusual)).to.equal(canonicalize(unusual));
    const extra = { ...receipt(1), note: 'x' };
    expect(receiptCanonicalJson(extra)).to.equal(canonicalize(extra));
  });

  it('reproduces every receipt hash of the vectors', () => {
    expect(receipts.map(receiptHash)).to.deep.equal(vectors.get('expect').get('receiptHashes').strs());
  });

  for (const b of vectors.get('batches').items()) {
    const sequence = b.get('sequence').num();
    it(`reproduces batch ${sequence}: root, every receipt proof and its batch leaf`, () => {
      const batch = buildBatch({
        lab,
        sequence,
        receipts: receipts.slice(b.get('from').num(), b.get('to').num()),
      });
      const expected = b.get('expect');
      expect(batch.root).to.equal(expected.get('root').str());
      expect(batch.entries.map((e) => e.proof.path)).to.deep.equal(
        expected
          .get('proofs')
          .items()
          .map((p) => p.strs()),
      );
      expect(bytesToHex(batchLeaf(batch))).to.equal(expected.get('batchLeaf').str());
    });
  }

  it('reproduces every checkpoint and anchor proof of the vector log', () => {
    const { anchors, proofs } = vectorLog();
    vectors
      .get('batches')
      .items()
      .forEach((b, i) => {
        const expected = b.get('expect');
        expect(anchors[i]?.log).to.deep.equal({
          size: expected.get('log').get('size').num(),
          root: expected.get('log').get('root').str(),
        });
        expect(proofs[i]).to.deep.equal({
          consistency: expected.get('logProof').get('consistency').strs(),
          inclusion: expected.get('logProof').get('inclusion').strs(),
        });
      });
  });

  it('reproduces and accepts the consistency proofs between vector checkpoints', () => {
    const { log } = vectorLog();
    for (const p of vectors.get('logConsistency').items()) {
      const [oldSize, newSize] = [p.get('old').num(), p.get('new').num()];
      const proof = log.consistencyProof(oldSize, newSize);
      expect(proof, p.path).to.deep.equal(p.get('proof').strs());
      expect(verifyLogConsistency(log.checkpoint(oldSize), log.checkpoint(newSize), proof), p.path).to.be
        .true;
    }
  });

  it('verifies each receipt of a batch against the anchor, and nothing else', () => {
    const batch = buildBatch({ lab, sequence: 0, receipts: receipts.slice(0, 3) });
    const { anchor } = new BatchLog({ lab }).append(batch);
    batch.entries.forEach((entry, i) => {
      const r = receipts[i] ?? receipt(0);
      expect(verifyReceiptInBatch(r, entry.proof, anchor), `receipt ${i}`).to.be.true;
    });
    const first = batch.entries[0]?.proof;
    if (first === undefined) throw new Error('empty batch');
    const r0 = receipts[0] ?? receipt(0);
    expect(verifyReceiptInBatch(receipts[1] ?? r0, first, anchor), 'another receipt').to.be.false;
    expect(verifyReceiptInBatch({ ...r0, latencyMs: r0.latencyMs + 1 }, first, anchor), 'edited receipt').to
      .be.false;
    expect(verifyReceiptInBatch(r0, { ...first, index: 1 }, anchor), 'other index').to.be.false;
    expect(verifyReceiptInBatch(r0, { ...first, sequence: 1 }, anchor), 'other batch').to.be.false;
    expect(verifyReceiptInBatch(r0, first, { ...anchor, count: 4 }), 'other count').to.be.false;
    expect(verifyReceiptInBatch(r0, first, { ...anchor, root: hex(1) }), 'other root').to.be.false;
  });

  it('lets the chaincode accept each anchor as exactly the next entry of the lab log', () => {
    const { anchors, proofs } = vectorLog();
    let previous = EMPTY_LOG;
    anchors.forEach((anchor, i) => {
      const proof = proofs[i] ?? { consistency: [], inclusion: [] };
      expect(verifyAnchorAppend(previous, anchor, proof), `anchor ${i}`).to.be.true;
      expect(
        verifyAnchorAppend(previous, { ...anchor, count: anchor.count + 1 }, proof),
        `anchor ${i} with edited count`,
      ).to.be.false;
      expect(
        verifyAnchorAppend(anchors[i - 1]?.log ?? EMPTY_LOG, { ...anchor, sequence: i + 1 }, proof),
        'skipped sequence',
      ).to.be.false;
      previous = anchor.log;
    });
    const last = anchors[2];
    const lastProof = proofs[2];
    if (last === undefined || lastProof === undefined) throw new Error('missing anchor');
    const forked = { ...last, log: { ...last.log, root: hex(7) } };
    expect(verifyAnchorAppend(anchors[1]?.log ?? EMPTY_LOG, forked, lastProof), 'rewritten log root').to.be
      .false;
  });

  it('rejects a consistency proof between checkpoints of a rewritten log', () => {
    const { log, anchors } = vectorLog();
    const rewritten = new BatchLog({ lab });
    rewritten.append(buildBatch({ lab, sequence: 0, receipts: receipts.slice(0, 2) }));
    const older = rewritten.checkpoint();
    expect(verifyLogConsistency(older, log.checkpoint(), log.consistencyProof(1))).to.be.false;
    expect(anchors).to.have.length(3);
  });

  it('resumes a log from its anchors and refuses anchors that do not add up', () => {
    const { log, anchors } = vectorLog();
    expect(new BatchLog({ lab, anchors }).checkpoint()).to.deep.equal(log.checkpoint());
    const [a0, a1, a2] = anchors;
    if (a0 === undefined || a1 === undefined || a2 === undefined) throw new Error('missing anchors');
    expect(() => new BatchLog({ lab, anchors: [a0, a2] })).to.throw(
      ProtocolError,
      'anchors[1].sequence: must be 1, got 2',
    );
    expect(() => new BatchLog({ lab, anchors: [a0, { ...a1, count: 9 }] })).to.throw(
      ProtocolError,
      'anchors[1].log',
    );
  });

  it('refuses to build a batch that is empty, mixes labs or completes a request twice', () => {
    expect(() => buildBatch({ lab, sequence: 0, receipts: [] })).to.throw(
      ProtocolError,
      'at least one receipt',
    );
    expect(() => buildBatch({ lab, sequence: 0, receipts: [receipt(1), receipt(2, 'lab-2')] })).to.throw(
      ProtocolError,
      'receipts[1].lab',
    );
    expect(() => buildBatch({ lab, sequence: 0, receipts: [receipt(1), receipt(1)] })).to.throw(
      ProtocolError,
      'receipts[1].requestId',
    );
    expect(() =>
      new BatchLog({ lab }).append(buildBatch({ lab, sequence: 1, receipts: [receipt(1)] })),
    ).to.throw(ProtocolError, 'batch.sequence: must be 0, got 1');
  });

  it('builds a batch of 1,000 receipts whose every proof verifies', () => {
    const many = Array.from({ length: 1000 }, (_, i) => receipt(i));
    const batch = buildBatch({ lab, sequence: 0, receipts: many });
    const { anchor } = new BatchLog({ lab }).append(batch);
    const bad = batch.entries.filter((e, i) => !verifyReceiptInBatch(many[i] ?? receipt(0), e.proof, anchor));
    expect(bad).to.have.length(0);
  });
});
