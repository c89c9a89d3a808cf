import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { expect } from 'chai';

import { VECTOR_DIR } from './vector-file.js';

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const hasPython = python.error === undefined && python.status === 0;

describe('independent cross-check of the test vectors', () => {
  if (hasPython) {
    it('agrees with the Python hashlib implementation of docs/pixel-trace.md on every vector', () => {
      const run = spawnSync('python3', [join(VECTOR_DIR, 'crosscheck.py')], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.error, 'python3 could not run').to.equal(undefined);
      expect(run.status, `${run.stdout}\n${run.stderr}`).to.equal(0);
      expect(run.stdout).to.match(/[1-9]\d* values checked, 0 mismatches/);
    });
  } else {
    it.skip(
      'agrees with the Python hashlib implementation (skipped: python3 is not installed on this machine)',
    );
  }
});
