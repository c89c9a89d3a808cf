/** The gateway's storage: content-addressed blobs, API tokens kept as hashes, the append-only access log. */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ApiTokens, tokenHash } from '../../../gateway-app/src/http/api-tokens';
import { DiskBlobStore, sha256Hex } from '../../../gateway-app/src/store/blob-store';
import { ScanStore } from '../../../gateway-app/src/store/scan-store';
import { GatewayError } from '../../../gateway-app/src/errors';
import { memoryDatabase, tempDir } from './support';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) =>
    statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)],
  );
}

describe('gateway storage', () => {
  describe('DiskBlobStore', () => {
    it('names blobs by their SHA-256, stores each once, and leaves no temporary files', async () => {
      const dir = tempDir('blobs');
      const store = new DiskBlobStore(dir);
      const bytes = new TextEncoder().encode('de-identified scan bytes');
      const name = await store.put(bytes);
      expect(name).to.equal(sha256Hex(bytes));
      expect(await store.put(bytes)).to.equal(name);
      expect(files(dir)).to.have.length(1);
      expect(Buffer.from((await store.get(name)) ?? [])).to.deep.equal(Buffer.from(bytes));
      expect(await store.get('0'.repeat(64))).to.equal(undefined);
    });

    it('refuses to serve a blob that no longer hashes to its name, and names that are not SHA-256', async () => {
      const dir = tempDir('blobs');
      const store = new DiskBlobStore(dir);
      const name = await store.put(new TextEncoder().encode('original'));
      const path = files(dir)[0] ?? '';
      writeFileSync(path, 'swapped on disk');
      const error: unknown = await store.get(name).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(GatewayError).and.have.property('code', 'STORE_CORRUPT');
      const bad: unknown = await store.get('../../etc/passwd').catch((e: unknown) => e);
      expect(bad).to.be.instanceOf(GatewayError).and.have.property('code', 'BAD_REQUEST');
    });
  });

  describe('ApiTokens', () => {
    it('keeps only a token hash, accepts the token, and refuses others and malformed ones', () => {
      const db = memoryDatabase();
      const tokens = new ApiTokens(db);
      const token = tokens.issue('alice');
      expect(token).to.match(/^vs_[A-Za-z0-9_-]{43}$/);
      const stored = db.prepare('SELECT * FROM api_tokens').all() as { name: string; sha256: string }[];
      expect(stored).to.have.length(1);
      expect(stored[0]?.sha256).to.equal(tokenHash(token));
      expect(JSON.stringify(stored)).not.to.include(token);
      expect(tokens.verify(token)).to.deep.equal({ name: 'alice' });
      expect(tokens.verify(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).to.equal(undefined);
      expect(tokens.verify('')).to.equal(undefined);
      expect(tokens.verify("vs_' OR 1=1 --")).to.equal(undefined);
    });

    it('replaces a user token when one is issued again', () => {
      const tokens = new ApiTokens(memoryDatabase());
      const first = tokens.issue('bob');
      const second = tokens.issue('bob');
      expect(tokens.verify(first)).to.equal(undefined);
      expect(tokens.verify(second)).to.deep.equal({ name: 'bob' });
      expect(() => tokens.issue('Bob Smith')).to.throw(/token name/);
    });
  });

  describe('access log', () => {
    it('appends and lists in order, and refuses to be changed or deleted', () => {
      const db = memoryDatabase();
      const store = new ScanStore(db, () => 1_700_000_000_000);
      const entry = {
        requestId: 'rq-1',
        memberId: 'lab-1',
        mspId: 'Lab1MSP',
        job: 'operator',
        purpose: 'lab-fetch',
      };
      store.logAccess({ ...entry, outcome: 'served' });
      store.logAccess({ ...entry, outcome: 'not-assigned' });
      expect(store.accessLog('rq-1').map((e) => e.outcome)).to.deep.equal(['served', 'not-assigned']);
      expect(() => db.prepare("UPDATE access_log SET outcome = 'x'").run()).to.throw(/append-only/);
      expect(() => db.prepare('DELETE FROM access_log').run()).to.throw(/append-only/);
      expect(store.accessLog('rq-1')).to.have.length(2);
    });
  });
});
