/** Shared by the gateway unit tests: an in-memory database, a temporary blob folder, fixtures. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openGatewayDatabase, type GatewayDatabase } from '../../../gateway-app/src/store/database';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'scans');

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

export function memoryDatabase(): GatewayDatabase {
  return openGatewayDatabase(':memory:');
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `veriscan-unit-${prefix}-`));
}
