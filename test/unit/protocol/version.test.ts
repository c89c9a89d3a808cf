import { expect } from 'chai';

import { DomainTag, PROTOCOL_VERSION } from '../../../protocol/src/index.js';

describe('protocol version', () => {
  it('is version 2', () => {
    expect(PROTOCOL_VERSION).to.equal(2);
  });

  it('suffixes every domain tag with the version that defined its layout, none later than PROTOCOL_VERSION', () => {
    for (const tag of Object.values(DomainTag)) {
      const match = /^veriscan\/[a-z/-]+\/v(\d+)$/.exec(tag);
      expect(match, tag).not.to.equal(null);
      expect(Number(match?.[1])).to.be.within(1, PROTOCOL_VERSION);
    }
  });

  it('gives the records whose layout version 2 changed a version-2 tag', () => {
    expect(DomainTag.trace).to.equal('veriscan/trace/v2');
    expect(DomainTag.tensorCommitment).to.equal('veriscan/commit/tensor/v2');
  });

  it('never reuses one domain tag for two kinds of hash', () => {
    const tags = Object.values(DomainTag);
    expect(new Set(tags).size).to.equal(tags.length);
  });
});
