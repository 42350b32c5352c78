import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SearchPage } from '../../../shared/types';
import { UsageError, type CliCommand } from '../command';
import { openCliCore } from '../open-core';
import { parseNonNegativeInteger } from '../parse';
import type { OpenCore } from './index-command';

/** `gitbot search`, built around the function that opens the core. */
export function createSearchCommand(openCore: OpenCore): CliCommand {
  return {
    name: 'search',
    summary: 'Search the index: literal text (default), a regex, or ranked words',
    usage: `Usage: gitbot search <query> [--db FILE] [--repo DIR] [--regex] [--ignore-case] [--words] [--limit N] [--json]

Prints matching lines as path:line:text, sorted by path then line (words: best first).

Options:
  --db FILE       SQLite database (default GITBOT_DB, else index.sqlite in the data folder)
  --repo DIR      search one indexed repository only (default: all)
  --regex         the query is a JavaScript regular expression
  --words         ranked word search (BM25)
  --ignore-case   match regardless of case (literal and regex)
  --limit N       most lines printed (default 100; 0 means no limit)
  --json          one {"path","line","text","ranges"} object per line
  --help          show this help`,
    async run(args, io) {
      const { values, positionals } = parseArgs({
        args,
        options: {
          db: { type: 'string' },
          repo: { type: 'string' },
          regex: { type: 'boolean' },
          words: { type: 'boolean' },
          'ignore-case': { type: 'boolean' },
          limit: { type: 'string' },
          json: { type: 'boolean' },
        },
        strict: true,
        allowPositionals: true,
      });
      if (positionals.length !== 1) {
        throw new UsageError(positionals.length === 0 ? 'missing the query' : 'give exactly one query (quote it if it has spaces)');
      }
      if (values.regex === true && values.words === true) {
        throw new UsageError('--regex and --words cannot be used together');
      }
      const limit = values.limit === undefined ? 100 : parseNonNegativeInteger('--limit', values.limit);
      const mode = values.regex === true ? 'regex' : values.words === true ? 'words' : 'literal';
      const core = await openCore({ db: values.db, env: io.env, cwd: io.cwd });
      try {
        const result = await core.dispatch('search', {
          query: positionals[0],
          mode,
          ignoreCase: values['ignore-case'] === true,
          ...(values.repo === undefined ? {} : { repo: resolve(io.cwd, values.repo) }),
          limit,
          offset: 0,
        });
        if (!result.ok) {
          io.stderr.write(`gitbot search: ${result.error.message}\n`);
          return 1;
        }
        const page = result.value as SearchPage;
        for (const match of page.matches) {
          if (values.json === true) {
            io.stdout.write(`${JSON.stringify({ path: match.path, line: match.line, text: match.text, ranges: match.ranges })}\n`);
          } else {
            io.stdout.write(`${relative(io.cwd, join(match.repo, match.path))}:${match.line}:${match.text}\n`);
          }
        }
        if (page.nextOffset !== undefined && values.json !== true) {
          io.stderr.write(`gitbot search: more matches not shown (use --limit N or --limit 0)\n`);
        }
        return 0;
      } finally {
        await core.shutdown();
      }
    },
  };
}

export const searchCommand: CliCommand = createSearchCommand((options) => openCliCore(options));
