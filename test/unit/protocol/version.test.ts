import { expect } from 'chai';

import { DomainTag, PROTOCOL_VERSION } from '../../../protocol/src/index.js';

describe('protocol version', () => {
  it('is version 1', () => {
    expect(PROTOCOL_VERSION).to.equal(1);
  });

  it('names every domain tag with the same version suffix as PROTOCOL_VERSION', () => {
    for (const tag of Object.values(DomainTag)) {
      expect(tag).to.match(new RegExp(`^veriscan/[a-z/-]+/v${PROTOCOL_VERSION}$`));
    }
  });

  it('never reuses one domain tag for two kinds of hash', () => {
    const tags = Object.values(DomainTag);
    expect(new Set(tags).size).to.equal(tags.length);
  });
});
