/** What a CLI command gets from the outside world; tests pass their own streams. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface CliCommand {
  readonly name: string;
  /** Full help text, printed by `gitbot <name> --help`. */
  readonly usage: string;
  /** Resolves to the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/**
 * A command as `gitbot --help` lists it. Its code (and what it imports: the core, the HTTP
 * server, zod) is loaded only when it runs, so a one-shot search loads no more than it uses.
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<CliCommand>;
}

/** A usage mistake: printed as one line with a hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
