import { expect } from 'chai';

import {
  type PixelTrace,
  type TraceInput,
  ProtocolError,
  buildTrace,
  canonicalize,
  commitScan,
  hashOutput,
  hashTensor,
  parseSalt,
  parseSha256Hex,
  parseTrace,
  traceHash,
  verifyTrace,
} from '../../../protocol/src/index.js';
import { baseTraceRecord, float32FromHex, vectorImage } from './fixtures.js';
import { Json } from './vector-file.js';

const images = new Map(
  Json.load('pixels.json')
    .get('images')
    .items()
    .map((c) => [c.get('name').str(), c.get('image')]),
);

function traceInput(input: Json): TraceInput {
  const image = images.get(input.get('image').str());
  if (image === undefined) throw new Error('unknown vector image');
  const mask = input.get('output').get('mask');
  // parseTrace narrows the vector's plain JSON into the typed profile and params.
  const base = baseTraceRecord();
  const parsed = parseTrace({
    ...base,
    preprocess: { ...base.preprocess, params: input.get('preprocess').get('params').value },
    profile: input.get('profile').value,
  });
  return {
    image: vectorImage(image),
    salt: parseSalt(input.get('salt').str()),
    tileSize: input.get('tileSize').num(),
    preprocess: {
      params: parsed.preprocess.params,
      tensor: {
        shape: input.get('preprocess').get('tensor').get('shape').nums(),
        data: float32FromHex(input.get('preprocess').get('tensor').get('dataHex').str()),
      },
    },
    model: {
      id: input.get('model').get('id').str(),
      version: input.get('model').get('version').str(),
      hash: parseSha256Hex(input.get('model').get('hash').str()),
    },
    output: {
      mask: mask.isNull()
        ? null
        : {
            width: mask.get('width').num(),
            height: mask.get('height').num(),
            classes: mask.get('classes').num(),
            data: Uint8Array.from(mask.get('data').nums()),
          },
      scoresE4: input.get('output').get('scoresE4').nums(),
    },
    profile: parsed.profile,
  };
}

const vectors = Json.load('trace.json').get('cases').items();

describe('pixel trace', () => {
  for (const vector of vectors) {
    it(`builds the trace of vector "${vector.get('name').str()}" byte for byte, with its hash`, () => {
      const trace = buildTrace(traceInput(vector.get('input')));
      expect(canonicalize(trace)).to.equal(vector.get('expect').get('canonical').str());
      expect(traceHash(trace)).to.equal(vector.get('expect').get('traceHash').str());
    });
  }

  const first = vectors[0]?.get('input') ?? new Json(null, 'missing');

  it('builds the same trace twice from the same inputs (no clock, no randomness)', () => {
    expect(traceHash(buildTrace(traceInput(first)))).to.equal(traceHash(buildTrace(traceInput(first))));
  });

  it('carries salted commitments, never a digest of the scan, tensor or output alone (version 2)', () => {
    const input = traceInput(first);
    const text = canonicalize(buildTrace(input));
    const scan = commitScan(input.image, input.salt, input.tileSize);
    const unsalted = [
      scan.pixelsHash,
      scan.tileRoot,
      hashTensor(input.preprocess.tensor),
      hashOutput(input.output),
    ];
    for (const digest of unsalted) expect(text).not.to.contain(digest);
    expect(text).not.to.contain('pixelsHash');
    expect(text).not.to.contain('tileRoot"');
    expect(text).not.to.contain('tensorHash');
  });

  it('passes every check when the recomputed trace is identical', () => {
    const trace = buildTrace(traceInput(first));
    const result = verifyTrace(trace, buildTrace(traceInput(first)));
    expect(result.ok).to.be.true;
    expect(result.samePinnedEnvironment).to.be.true;
    expect(result.failed).to.deep.equal([]);
    expect(result.checks.map((c) => c.name)).to.include.members([
      'pixels.scanCommitment',
      'preprocess.tensorCommitment',
      'output.outputCommitment',
      'profile.intraOpThreads',
    ]);
  });

  it('names the output check when a re-run produced a different output', () => {
    const input = traceInput(first);
    const claimed = buildTrace(input);
    const recomputed = buildTrace({ ...input, output: { ...input.output, scoresE4: [9124, 876] } });
    const result = verifyTrace(claimed, recomputed);
    expect(result.ok).to.be.false;
    expect(result.failed).to.deep.equal(['output.outputCommitment']);
  });

  it('names every commitment when the verifier was handed another salt', () => {
    const input = traceInput(first);
    const claimed = buildTrace(input);
    const other = buildTrace({ ...input, salt: parseSalt('cd'.repeat(32)) });
    expect(verifyTrace(claimed, other).failed).to.deep.equal([
      'pixels.scanCommitment',
      'pixels.tileRootCommitment',
      'preprocess.tensorCommitment',
      'output.outputCommitment',
    ]);
  });

  it('names the preprocessing check when the same salt produced another tensor', () => {
    const input = traceInput(first);
    const data = Float32Array.from(input.preprocess.tensor.data);
    data[0] = (data[0] ?? 0) + 1;
    const other = buildTrace({
      ...input,
      preprocess: { ...input.preprocess, tensor: { ...input.preprocess.tensor, data } },
    });
    expect(verifyTrace(buildTrace(input), other).failed).to.deep.equal(['preprocess.tensorCommitment']);
  });

  it('reports a different determinism profile as an environment difference, not an integrity failure', () => {
    const input = traceInput(first);
    const claimed = buildTrace(input);
    const recomputed = buildTrace({
      ...input,
      profile: { ...input.profile, intraOpThreads: 8, instructionSet: 'avx512f' },
    });
    const result = verifyTrace(claimed, recomputed);
    expect(result.ok).to.be.true;
    expect(result.samePinnedEnvironment).to.be.false;
    expect(result.failed).to.deep.equal(['profile.intraOpThreads', 'profile.instructionSet']);
    const check = result.checks.find((c) => c.name === 'profile.intraOpThreads');
    expect(check).to.include({ kind: 'environment', passed: false, claimed: '1', recomputed: '8' });
  });

  it('refuses to build a trace with an unpinned thread count or a model version that is not semver', () => {
    const input = traceInput(first);
    expect(() => buildTrace({ ...input, profile: { ...input.profile, intraOpThreads: 0 } })).to.throw(
      ProtocolError,
      'trace.profile.intraOpThreads: must be at least 1, got 0',
    );
    expect(() => buildTrace({ ...input, model: { ...input.model, version: 'v1' } })).to.throw(
      ProtocolError,
      'trace.model.version',
    );
  });

  it('round-trips a built trace through JSON and parseTrace unchanged', () => {
    const trace: PixelTrace = buildTrace(traceInput(first));
    const parsed = parseTrace(JSON.parse(JSON.stringify(trace)));
    expect(traceHash(parsed)).to.equal(traceHash(trace));
  });
});
