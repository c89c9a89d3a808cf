/** A MaterialReader over an in-memory file tree, for encoder tests that need no files. */
import { dirname, basename } from 'node:path';
import type { MaterialReader } from '@veriscan/fabric-kit';

/** Files by absolute path; a folder exists when a file lies in it or it is listed in `dirs`. */
export function memoryMaterial(
  files: Readonly<Record<string, string | Uint8Array>>,
  dirs: readonly string[] = [],
): MaterialReader {
  const bytes = (content: string | Uint8Array): Uint8Array =>
    typeof content === 'string' ? new Uint8Array(Buffer.from(content)) : content;
  return {
    readFile: (path) => {
      const content = files[path];
      return content === undefined ? undefined : bytes(content);
    },
    listFiles: (dir) => {
      const names = Object.keys(files)
        .filter((path) => dirname(path) === dir)
        .map((path) => basename(path))
        .sort();
      return names.length > 0 || dirs.includes(dir) ? names : undefined;
    },
  };
}

/** A syntactically PEM certificate with a recognisable body. */
export function pem(label: string): string {
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(label).toString('base64')}\n-----END CERTIFICATE-----\n`;
}
