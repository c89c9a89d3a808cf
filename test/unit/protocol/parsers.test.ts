import { expect } from 'chai';

import {
  ProtocolError,
  canonicalize,
  decodeCanonical,
  parseAnchorLogProof,
  parseBatchAnchor,
  parseLogCheckpoint,
  parseReceipt,
  parseReceiptProof,
  parseSha256Hex,
  parseTileProof,
  parseTrace,
} from '../../../protocol/src/index.js';
import { baseTraceRecord, hex, receipt } from './fixtures.js';

const h = 'ab'.repeat(32);
const anchor = { version: 2, lab: 'lab-1', sequence: 2, root: h, count: 10, log: { size: 3, root: h } };
const receiptProof = { version: 2, lab: 'lab-1', sequence: 0, index: 3, count: 4, path: [h, h] };
const plainReceipt = (): Record<string, unknown> =>
  JSON.parse(JSON.stringify(receipt(1))) as Record<string, unknown>;

/** Asserts that `parse(value)` throws a ProtocolError whose message starts with `field: `. */
function refuses(parse: (v: unknown) => unknown, value: unknown, field: string, reason?: string): void {
  let error: unknown;
  try {
    parse(value);
  } catch (e) {
    error = e;
  }
  expect(error, `expected a ProtocolError for ${field}`).to.be.instanceOf(ProtocolError);
  if (!(error instanceof ProtocolError)) return;
  expect(error.code).to.equal('INVALID_RECORD');
  expect(error.field).to.equal(field);
  expect(error.message.startsWith(`${field}: `), error.message).to.be.true;
  if (reason !== undefined) expect(error.message).to.contain(reason);
}

describe('parsers of untrusted records', () => {
  it('accepts valid records of every kind', () => {
    expect(parseTrace(baseTraceRecord()).pixels.width).to.equal(5);
    expect(parseReceipt(plainReceipt()).requestId).to.equal('req-1');
    expect(parseBatchAnchor(anchor).log.size).to.equal(3);
    expect(parseReceiptProof(receiptProof).path).to.have.length(2);
    expect(parseLogCheckpoint({ size: 0, root: h }).size).to.equal(0);
    expect(parseAnchorLogProof({ consistency: [], inclusion: [h] }).inclusion).to.deep.equal([h]);
    expect(
      parseTileProof({
        image: { width: 5, height: 3, channels: 1, bitDepth: 16 },
        tileSize: 2,
        index: 5,
        path: [],
      }).index,
    ).to.equal(5);
  });

  it('rejects unknown fields, at any depth, naming them', () => {
    refuses(
      parseTrace,
      { ...baseTraceRecord(), patientName: 'x' },
      'trace.patientName',
      'is not a known field',
    );
    const trace = baseTraceRecord();
    refuses(parseTrace, { ...trace, model: { ...(trace.model as object), note: 'x' } }, 'trace.model.note');
    refuses(parseReceipt, { ...plainReceipt(), summary: 'tumour' }, 'receipt.summary');
    refuses(parseBatchAnchor, { ...anchor, log: { size: 3, root: h, extra: 1 } }, 'anchor.log.extra');
  });

  it('rejects missing fields, naming them', () => {
    const r = plainReceipt();
    delete r.traceHash;
    refuses(parseReceipt, r, 'receipt.traceHash', 'is required');
    const noProfile: Record<string, unknown> = baseTraceRecord();
    delete noProfile.profile;
    refuses(parseTrace, noProfile, 'trace.profile', 'is required');
  });

  it('rejects bad hex and wrong digest lengths with different messages', () => {
    refuses(
      parseReceipt,
      { ...plainReceipt(), traceHash: 'zz'.repeat(32) },
      'receipt.traceHash',
      'lowercase hex',
    );
    refuses(
      parseReceipt,
      { ...plainReceipt(), traceHash: 'AB'.repeat(32) },
      'receipt.traceHash',
      'lowercase hex',
    );
    refuses(
      parseReceipt,
      { ...plainReceipt(), outputCommitment: 'ab'.repeat(31) },
      'receipt.outputCommitment',
      'got 62',
    );
    refuses(parseReceiptProof, { ...receiptProof, path: [h, 'ab'] }, 'proof.path[1]', '64 hex characters');
    refuses(parseSha256Hex, 42, 'hash', 'must be a hex string');
  });

  it('rejects negative and out-of-range sizes', () => {
    refuses(parseLogCheckpoint, { size: -1, root: h }, 'checkpoint.size', 'must not be negative');
    refuses(parseBatchAnchor, { ...anchor, count: 0 }, 'anchor.count', 'at least 1');
    refuses(parseReceipt, { ...plainReceipt(), latencyMs: -5 }, 'receipt.latencyMs', 'must not be negative');
    const trace = baseTraceRecord();
    refuses(
      parseTrace,
      { ...trace, pixels: { ...(trace.pixels as object), width: -3 } },
      'trace.pixels.width',
      'at least 1',
    );
    refuses(
      parseTrace,
      { ...trace, pixels: { ...(trace.pixels as object), height: 2.5 } },
      'trace.pixels.height',
      'integer',
    );
    refuses(parseReceiptProof, { ...receiptProof, index: 4 }, 'proof.index', 'at most 3');
    refuses(
      parseTileProof,
      { image: { width: 5, height: 3, channels: 1, bitDepth: 16 }, tileSize: 2, index: 6, path: [] },
      'tileProof.index',
    );
  });

  it('rejects wrong types, versions and enum values, naming the field', () => {
    refuses(parseTrace, 'a string', 'trace', 'must be an object');
    refuses(parseTrace, [], 'trace', 'must be an object');
    refuses(parseTrace, { ...baseTraceRecord(), version: 1 }, 'trace.version', 'must be 2');
    const trace = baseTraceRecord();
    refuses(
      parseTrace,
      { ...trace, pixels: { ...(trace.pixels as object), bitDepth: 12 } },
      'trace.pixels.bitDepth',
      'one of 8, 16',
    );
    refuses(
      parseTrace,
      { ...trace, profile: { ...(trace.profile as object), graphOptimizationLevel: 'max' } },
      'trace.profile.graphOptimizationLevel',
    );
    refuses(
      parseTrace,
      { ...trace, preprocess: { ...trace.preprocess, tensorShape: [] } },
      'trace.preprocess.tensorShape',
      'at least one',
    );
    refuses(
      parseTrace,
      { ...trace, preprocess: { ...trace.preprocess, params: [] } },
      'trace.preprocess.params',
      'must be an object',
    );
  });

  it('rejects ids that could carry free text, and impossible timestamps', () => {
    refuses(parseReceipt, { ...plainReceipt(), lab: 'Lab One' }, 'receipt.lab', 'member id');
    refuses(parseReceipt, { ...plainReceipt(), requestId: '' }, 'receipt.requestId');
    refuses(
      parseReceipt,
      { ...plainReceipt(), model: { id: 'brain-tissue', version: '1.0' } },
      'receipt.model.version',
      'semantic version',
    );
    refuses(
      parseReceipt,
      { ...plainReceipt(), completedAt: '2025-02-30T00:00:00.000Z' },
      'receipt.completedAt',
      'not a real date',
    );
    refuses(
      parseReceipt,
      { ...plainReceipt(), completedAt: '2025-02-01T00:00:00Z' },
      'receipt.completedAt',
      'UTC timestamp',
    );
  });

  it('rejects an anchor whose log size does not follow from its sequence', () => {
    refuses(
      parseBatchAnchor,
      { ...anchor, log: { size: 2, root: h } },
      'anchor.log.size',
      'sequence + 1 = 3',
    );
  });

  it('rejects preprocessing parameters that are not plain finite JSON', () => {
    const trace = baseTraceRecord();
    const withParams = (params: unknown): unknown => ({
      ...trace,
      preprocess: { ...trace.preprocess, params },
    });
    refuses(
      parseTrace,
      withParams({ scale: Number.POSITIVE_INFINITY }),
      'trace.preprocess.params.scale',
      'finite',
    );
    refuses(parseTrace, withParams({ s: 'a\uD800' }), 'trace.preprocess.params.s', 'lone surrogate');
    let deep: unknown = 1;
    for (let i = 0; i < 10; i += 1) deep = { d: deep };
    refuses(parseTrace, withParams(deep), 'trace.preprocess.params.d.d.d.d.d.d.d.d.d', 'deeper');
  });

  it('keeps a "__proto__" key in parameters as data', () => {
    const trace = baseTraceRecord();
    const params: unknown = JSON.parse('{"__proto__": {"polluted": true}}');
    const parsed = parseTrace({ ...trace, preprocess: { ...trace.preprocess, params } });
    expect(canonicalize(parsed.preprocess.params)).to.equal('{"__proto__":{"polluted":true}}');
    expect(Object.getPrototypeOf(parsed.preprocess.params)).to.equal(Object.prototype);
  });

  describe('decodeCanonical', () => {
    const text = canonicalize(receipt(1));

    it('accepts a stored record in canonical form, as text or UTF-8 bytes', () => {
      expect(decodeCanonical(text, parseReceipt, 'receipt').requestId).to.equal('req-1');
      expect(decodeCanonical(Buffer.from(text), parseReceipt, 'receipt').requestId).to.equal('req-1');
    });

    it('refuses the same record in another spelling (whitespace, key order, duplicate key)', () => {
      refuses(
        (v) => decodeCanonical(String(v), parseReceipt, 'receipt'),
        JSON.stringify(receipt(1), null, 1),
        'receipt',
        'canonical',
      );
      refuses(
        (v) => decodeCanonical(String(v), parseReceipt, 'receipt'),
        text.replace('{', `{"lab":"lab-9",`),
        'receipt',
        'canonical',
      );
    });

    it('refuses bytes that are not UTF-8 JSON or start with a byte-order mark', () => {
      refuses(
        (v) => decodeCanonical(Buffer.from(String(v), 'latin1'), parseReceipt, 'receipt'),
        '{"x":"\xff"}',
        'receipt',
        'UTF-8 JSON',
      );
      refuses(
        (v) =>
          decodeCanonical(
            Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(String(v))]),
            parseReceipt,
            'receipt',
          ),
        text,
        'receipt',
      );
      refuses((v) => decodeCanonical(String(v), parseReceipt, 'receipt'), '{', 'receipt', 'not valid');
    });
  });

  it('never echoes a long string value back in an error message', () => {
    const secret = 'x'.repeat(500);
    try {
      parseReceipt({ ...plainReceipt(), traceHash: secret });
    } catch (error) {
      expect(String(error)).not.to.contain(secret);
      return;
    }
    expect.fail('parseReceipt accepted a bad traceHash');
  });

  it('rejects a receipt hash field holding another record kind', () => {
    refuses(
      parseReceipt,
      { ...plainReceipt(), traceHash: { hash: hex(1) } },
      'receipt.traceHash',
      'hex string',
    );
  });
});
