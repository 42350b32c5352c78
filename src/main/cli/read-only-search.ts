import { existsSync } from 'node:fs';
import { requestSchemas, type RequestArg } from '../../shared/contract';
import { fail, ok, type Result, type ResultError } from '../../shared/result';
import { openConnection } from '../core/db/open-connection';
import type { ReadonlyDatabase } from '../core/base/database-types';
import { damagedMessage, isCorruption } from '../core/db/integrity-check';
import { describeOpenError } from '../core/db/prepare-database';
import { readOps } from '../core/query/read-ops';
import type { ListingArgs, ListingChunk, ListingFormat } from '../core/search/listing-chunk';
import { Lane, LaneCounters, LANE_BLOCK_FILES } from '../core/search/listing-lanes';
import { writeLaneListing } from '../core/lane-listing';
import { ListingThread } from '../core/query/listing-thread';
import { MAX_CHUNK_LINES, type ListingOutcome } from '../core/search-listing';
import type { StreamWriter } from '../core/stream-writer';
import { bundleLayout } from './bundle-layout';
import { toResultError } from '../core/base/errors';
import { resolvePaths } from '../core/base/paths';
import { memoryBudget } from '../core/config/memory-budget';
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
  /** Writes every matching line (a line search's full listing), listed on two threads. */
  writeAll(request: Omit<ListingRequest, 'limit'>, writer: StreamWriter): Promise<ListingOutcome>;
  close(): void;
}

export type OpenSearchSource = (options: { db?: string | undefined; env: NodeJS.ProcessEnv; cwd: string }) => SearchSource;

/**
 * The one-shot CLI's search: the database opened read-only in this process, each chunk run
 * in place with SEARCH_TIMEOUT_MS. No reader pool, memory monitor, task manager or log file is
 * started, so the process answers in about the time Node takes to start; a full listing also
 * starts one listing thread, the second lane (search/listing-lanes.ts).
 */
export const openReadOnlySearch: OpenSearchSource = (options) => {
  const config = loadCliConfig(options);
  const { dbPath } = resolvePaths({ dbSetting: config.values.GITBOT_DB, dataDirSetting: config.values.GITBOT_DATA_DIR });
  if (!existsSync(dbPath)) {
    const error: ResultError = { code: 'not_found', message: `No index at ${dbPath}: run "gitbot index <folder>" first` };
    return { listing: () => Promise.resolve(fail(error.code, error.message)), writeAll: () => Promise.resolve({ ok: false, written: 0, error }), close: () => {} };
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
  const budget = memoryBudget(config.values);
  const hold = { searchHoldBytes: budget.searchHoldBytes, searchPageBytes: budget.searchPageBytes };
  useSearchHold(hold);
  const run = (args: ListingArgs): ListingChunk => readOps.searchListing(db, args, { control: searchControl({ budgetMs }) });
  const describe = (error: unknown): ResultError => (isCorruption(error) ? { code: 'database_error', message: damagedMessage(dbPath, (error as Error).message) } : toResultError(error));
  return {
    listing(request) {
      const parsed = parseQuery(request.query);
      if (!parsed.ok) {
        return Promise.resolve(parsed);
      }
      try {
        return Promise.resolve(ok(run({ ...parsed.value, limit: request.limit, format: request.format })));
      } catch (error) {
        const { code, message } = describe(error);
        return Promise.resolve(fail(code, message));
      }
    },
    async writeAll(request, writer) {
      const parsed = parseQuery(request.query);
      if (!parsed.ok) {
        return { ok: false, written: 0, error: parsed.error };
      }
      const args: ListingArgs = { ...parsed.value, limit: MAX_CHUNK_LINES, format: request.format };
      const counters = new LaneCounters();
      const windowBytes = budget.listingWindowBytes;
      // The worker's heap and page cache are a search reader's (the pool's threads).
      const thread = new ListingThread(
        bundleLayout().workers('listing-worker'),
        { dbPath, searchHold: hold, budgetMs, args, blockFiles: LANE_BLOCK_FILES, windowBytes, cacheKib: budget.readerCacheKib },
        counters,
        budget.searchReaderLimits,
      );
      try {
        return await writeLaneListing({ local: new Lane(args, counters, run), remote: thread, writer, describe, windowBytes });
      } finally {
        await thread.close();
      }
    },
    close() {
      db.close();
    },
  };
};

function parseQuery(query: ListingRequest['query']): Result<RequestArg<'search'>> {
  const parsed = requestSchemas.search.safeParse(query);
  return parsed.success ? ok(parsed.data) : fail('bad_request', `Invalid argument for search: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
}
