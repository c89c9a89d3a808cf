/**
 * How the encoder reads the files a channel description names (MSP folders, consenter
 * certificates): handed in by the caller, so the encoder itself does no I/O and tests can feed it
 * material from memory. {@link fileSystemMaterial} (./material-files.ts) reads the real files.
 */

/** Read access to crypto material, in the terms configtxgen reads it (msp/configbuilder.go). */
export interface MaterialReader {
  /** The file's bytes, or undefined when there is no such file. */
  readFile(path: string): Uint8Array | undefined;
  /**
   * The names of the regular files in `dir` (symbolic links followed, sub-folders left out), sorted
   * by name as Go's `os.ReadDir` sorts them; undefined when there is no such folder.
   */
  listFiles(dir: string): readonly string[] | undefined;
}
