import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type CliCommand } from '../command';
import { openCliCore } from '../open-core';
import type { OpenCore } from './index-command';

/** `gitbot remove`, built around the function that opens the core. */
export function createRemoveCommand(openCore: OpenCore): CliCommand {
  return {
    name: 'remove',
    usage: `Usage: gitbot remove <folder> [--db FILE] [--json]

Drops the folder's repository and everything indexed from it. The folder may no longer exist.
A run indexing it is cancelled first.

Options:
  --db FILE   SQLite database (default GITBOT_DB, else index.sqlite in the data folder)
  --json      print {"removed": true|false} instead of a sentence
  --help      show this help`,
    async run(args, io) {
      const { values, positionals } = parseArgs({ args, options: { db: { type: 'string' }, json: { type: 'boolean' } }, strict: true, allowPositionals: true });
      if (positionals.length !== 1 || positionals[0] === '') {
        throw new UsageError(positionals.length > 1 ? 'give exactly one folder to remove' : 'missing the folder to remove');
      }
      const folder = resolve(io.cwd, positionals[0] as string);
      const core = await openCore({ db: values.db, env: io.env, cwd: io.cwd });
      try {
        const result = await core.api.removeRepository({ repo: folder });
        if (!result.ok) {
          io.stderr.write(`gitbot remove: ${result.error.message}\n`);
          return 1;
        }
        const { removed } = result.value;
        io.stdout.write(values.json === true ? `${JSON.stringify({ removed })}\n` : removed ? `Removed ${folder} from the index\n` : `${folder} is not in the index\n`);
        return removed ? 0 : 1;
      } finally {
        await core.shutdown();
      }
    },
  };
}

export const removeCommand: CliCommand = createRemoveCommand((options) => openCliCore(options));
