import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SearchTotal } from '../../../shared/types';
import { writeListing } from '../../core/search-listing';
import { StreamWriter } from '../../core/stream-writer';
import { UsageError, type CliCommand } from '../command';
import { parseNonNegativeInteger } from '../parse';
import { openReadOnlySearch, type OpenSearchSource } from '../read-only-search';

/** `gitbot search`, built around the function that opens what it searches. */
export function createSearchCommand(openSource: OpenSearchSource): CliCommand {
  return {
    name: 'search',
    usage: `Usage: gitbot search <query> [--db FILE] [--repo DIR] [--regex] [--ignore-case] [--words] [--limit N] [--json]

Prints matching lines as path:line:text, sorted by path then line (words: best first), as
they are found.

Options:
  --db FILE       SQLite database (default GITBOT_DB, else index.sqlite in the data folder)
  --repo DIR      search one indexed repository only (default: all)
  --regex         the query is a regular expression
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
      const query = {
        query: positionals[0] as string,
        mode,
        ignoreCase: values['ignore-case'] === true,
        ...(values.repo === undefined ? {} : { repo: resolve(io.cwd, values.repo) }),
      } as const;
      const json = values.json === true;
      // Formatted where the lines are found: a plain listing never computes match ranges.
      const format = json ? ({ kind: 'json' } as const) : ({ kind: 'plain', base: io.cwd } as const);
      const source = openSource({ db: values.db, env: io.env, cwd: io.cwd });
      try {
        const writer = new StreamWriter(io.stdout);
        // A full listing of lines runs on two threads and counts nothing; a limited one (or a
        // words search, a ranked page at a time) asks for the totals it reports.
        const outcome =
          limit === 0 && mode !== 'words'
            ? await source.writeAll({ query: { ...query, totals: false }, format }, writer)
            : await writeListing({
                fetch: (chunkLimit, cursor) => source.listing({ query: { ...query, ...(cursor === undefined ? {} : { cursor }), totals: limit !== 0 }, format, limit: chunkLimit }),
                limit: limit === 0 ? Number.POSITIVE_INFINITY : limit,
                writer,
              });
        if (!outcome.ok) {
          io.stderr.write(`gitbot search: ${outcome.error.message}\n`);
          return 1;
        }
        if (outcome.more && outcome.last !== undefined && !json) {
          io.stderr.write(`gitbot search: ${describeTotal(outcome.last.total)}; more not shown (use --limit N or --limit 0)\n`);
        }
        return 0;
      } finally {
        source.close();
      }
    },
  };
}

/** "82,650 matches in 3,120 files", or "at least …" while the count is partial. */
export function describeTotal(total: SearchTotal): string {
  const count = (value: number, one: string, many: string) => `${value.toLocaleString('en-US')} ${value === 1 ? one : many}`;
  return `${total.exact ? '' : 'at least '}${count(total.matches, 'match', 'matches')} in ${count(total.files, 'file', 'files')}`;
}

export const searchCommand: CliCommand = createSearchCommand(openReadOnlySearch);
