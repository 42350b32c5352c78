import { isAppError } from '../core/base/errors';
import { ConfigError } from '../core/config/load-config';
import { UsageError, type CliIo, type CommandEntry } from './command';
import { commands } from './commands';
import { appVersion } from './version';

const overview = (): string => `Usage: gitbot <command> [options]

Gitbot Desktop ${appVersion}: index a repository into SQLite at bounded memory and search it.

Commands:
${commands.map((command) => `  ${command.name.padEnd(8)}${command.summary}`).join('\n')}

Run "gitbot <command> --help" for a command's options.
`;

/**
 * Runs one CLI invocation and resolves to its exit code: 0 on success, 1 when the work
 * failed, 2 for a usage mistake. Every failure is one line on stderr.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.stdout.write(`${appVersion}\n`);
    return 0;
  }
  const entry: CommandEntry | undefined = commands.find((candidate) => candidate.name === name);
  if (entry === undefined) {
    io.stderr.write(`gitbot: unknown command "${name}" (run "gitbot --help" for the list)\n`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    return reportFailure(command.name, error, io);
  }
}

function reportFailure(commandName: string, error: unknown, io: CliIo): number {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UsageError || isNodeArgsError(error)) {
    io.stderr.write(`gitbot ${commandName}: ${message} (see "gitbot ${commandName} --help")\n`);
    return 2;
  }
  if (error instanceof ConfigError || isAppError(error)) {
    io.stderr.write(`gitbot ${commandName}: ${message}\n`);
    return 1;
  }
  io.stderr.write(`gitbot ${commandName}: unexpected error: ${message}\n`);
  return 1;
}

/** util.parseArgs reports unknown or malformed options with these codes. */
function isNodeArgsError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
