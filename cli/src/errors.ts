/** The CLI's exit codes (documented in `veriscan --help`) and its one error. */
export const ExitCode = {
  OK: 0,
  /** The service answered with an error (4xx/5xx problem details). */
  REFUSED: 1,
  /** Bad arguments (commander also exits 1 for unknown options; usage errors here are 2). */
  USAGE: 2,
  /** No local.json, or it lacks an institution. */
  CONFIG: 3,
  /** A service could not be reached. */
  UNREACHABLE: 4,
  /** `--wait` ran out of time, or the request ended failed/expired. */
  NOT_COMPLETED: 5,
  /** `audit verify` found a failing check. */
  NOT_VERIFIED: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
