import { existsSync } from 'node:fs';
import { requestSchemas, type RequestArg } from '../../shared/contract';
import { fail, ok, type Result } from '../../shared/result';
import { openConnection } from '../core/db/open-connection';
import type { ReadonlyDatabase } from '../core/base/database-types';
import { damagedMessage, isCorruption } from '../core/db/integrity-check';
import { describeOpenError } from '../core/db/prepare-database';
import { readOps } from '../core/query/read-ops';
import type { ListingChunk, ListingFormat } from '../core/search/listing-chunk';
import { toResultError } from '../core/base/errors';
import { resolvePaths } from '../core/base/paths';
import { searchHold } from '../core/config/memory-budget';
import { useSearchHold } from '../core/search/search-budget';
import { searchControl } from '../core/search/search-control';
import { loadCliConfig } from './cli-config';

/** What `gitbot search` asks for: a search (without a page size) and how its lines are written. */
export interface ListingRequest {
  readonly query: Omit<RequestArg<'search'>, 'limit' | 'channel'>;
  readonly format: ListingFormat;
  /** Most lines in this chunk. */
  readonly limit: number;
}

/** Where `gitbot search` reads its output: the database in this process, or (in tests) a fake. */
export interface SearchSource {
  /** The next chunk of output lines; the search is checked against the contract's schema first. */
  listing(request: ListingRequest): Promise<Result<ListingChunk>>;
  close(): void;
}

export type OpenSearchSource = (options: { db?: string | undefined; env: NodeJS.ProcessEnv; cwd: string }) => SearchSource;

/**
 * The one-shot CLI's search: the database opened read-only in this process, each chunk run
 * in place with SEARCH_TIMEOUT_MS. No reader pool, memory monitor, task manager, log file or
 * thread is started, so the process answers in about the time Node takes to start.
 */
export const openReadOnlySearch: OpenSearchSource = (options) => {
  const config = loadCliConfig(options);
  const { dbPath } = resolvePaths({ dbSetting: config.values.GITBOT_DB, dataDirSetting: config.values.GITBOT_DATA_DIR });
  if (!existsSync(dbPath)) {
    const missing = fail('not_found', `No index at ${dbPath}: run "gitbot index <folder>" first`);
    return { listing: () => Promise.resolve(missing), close: () => {} };
  }
  let db: ReadonlyDatabase;
  try {
    db = openConnection(dbPath, { mode: 'reader' });
  } catch (error) {
    throw describeOpenError(dbPath, error);
  }
  try {
    // SQLite opens lazily: the first read is what fails on a foreign file or a read-only folder.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    throw describeOpenError(dbPath, error);
  }
  const budgetMs = config.values.SEARCH_TIMEOUT_MS;
  useSearchHold(searchHold(config.values.MEMORY_THRESHOLD_MB));
  return {
    listing(request) {
      const parsed = requestSchemas.search.safeParse(request.query);
      if (!parsed.success) {
        return Promise.resolve(fail('bad_request', `Invalid argument for search: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`));
      }
      try {
        const args = { ...parsed.data, limit: request.limit, format: request.format };
        return Promise.resolve(ok(readOps.searchListing(db, args, { control: searchControl({ budgetMs }) })));
      } catch (error) {
        if (isCorruption(error)) {
          return Promise.resolve(fail('database_error', damagedMessage(dbPath, (error as Error).message)));
        }
        const { code, message } = toResultError(error);
        return Promise.resolve(fail(code, message));
      }
    },
    close() {
      db.close();
    },
  };
};
