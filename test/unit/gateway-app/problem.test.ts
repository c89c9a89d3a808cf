/** One mapping from every error family to an HTTP status with a reason. */
import { expect } from 'chai';
import { ImagingError } from '@veriscan/imaging';
import { LedgerError } from '@veriscan/ledger-api';
import { GatewayError } from '../../../gateway-app/src/errors';
import { problemOf } from '../../../gateway-app/src/http/problem';

describe('gateway problem details', () => {
  it('maps gateway, imaging and ledger codes to statuses and keeps the reason', () => {
    const cases: [unknown, number, string][] = [
      [new ImagingError('SCAN_TOO_LARGE', 'declared 60000 x 60000'), 413, 'SCAN_TOO_LARGE'],
      [
        new ImagingError('UNSUPPORTED_TRANSFER_SYNTAX', '1.2.840.10008.1.2.5 (RLE Lossless)'),
        415,
        'UNSUPPORTED_TRANSFER_SYNTAX',
      ],
      [new ImagingError('INVALID_SCAN', 'truncated'), 422, 'INVALID_SCAN'],
      [new GatewayError('CONFLICT', 'key reused'), 409, 'CONFLICT'],
      [new LedgerError('NOT_FOUND', 'no model x@1.0.0'), 404, 'NOT_FOUND'],
      [new LedgerError('FORBIDDEN', 'not a hospital'), 403, 'FORBIDDEN'],
      [new LedgerError('UNAVAILABLE', 'peer down'), 503, 'UNAVAILABLE'],
    ];
    for (const [error, status, code] of cases) {
      const { problem } = problemOf(error);
      expect(problem, code).to.deep.include({ status, code });
      expect(problem.detail, code).to.be.a('string');
    }
  });

  it('says nothing about an unexpected failure', () => {
    const { problem, internal } = problemOf(new Error('secret path /var/lib/x and salt 00ff'));
    expect(internal).to.equal(true);
    expect(problem).to.deep.equal({ type: 'about:blank', title: 'Internal Server Error', status: 500 });
  });
});
