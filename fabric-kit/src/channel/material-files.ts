/**
 * The {@link MaterialReader} over the file system: the one module of the channel code that touches
 * files, so the description and the encoder stay pure.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { MaterialReader } from './material.js';

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Reads material from the file system (synchronously: block 0 is built once, at start-up). */
export function fileSystemMaterial(): MaterialReader {
  return {
    readFile(path) {
      try {
        return new Uint8Array(readFileSync(path));
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    listFiles(dir) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      // Go's getPemMaterialFromDir stats each entry (following links) and skips folders and broken links.
      return names
        .filter((name) => {
          try {
            return statSync(join(dir, name)).isFile();
          } catch {
            return false;
          }
        })
        .sort(byteOrder);
    },
  };
}
