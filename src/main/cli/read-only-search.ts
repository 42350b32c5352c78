import { existsSync } from 'node:fs';
import { requestSchemas, type RequestArg } from '../../shared/contract';
import { fail, ok, type Result } from '../../shared/result';
import type { SearchPage } from '../../shared/types';
import { openConnection } from '../core/db/open-connection';
import { readOps } from '../core/query/read-ops';
import { AppError, toResultError } from '../core/base/errors';
import { resolvePaths } from '../core/base/paths';
import { searchHold } from '../core/config/memory-budget';
import { useSearchHold } from '../core/search/search-budget';
import { searchControl } from '../core/search/search-control';
import { loadCliConfig } from './open-core';

/** Where `gitbot search` reads its pages: the database in this process, or (in tests) a fake. */
export interface SearchSource {
  /** One page; the argument is checked against the contract's schema first. */
  search(arg: RequestArg<'search'>): Promise<Result<SearchPage>>;
  close(): void;
}

export type OpenSearchSource = (options: { db?: string | undefined; env: NodeJS.ProcessEnv; cwd: string }) => SearchSource;

/**
 * The one-shot CLI's search: the database opened read-only in this process, each page run
 * in place with SEARCH_TIMEOUT_MS. No reader pool, memory monitor, task manager, log file or
 * thread is started, so the process answers in about the time Node takes to start.
 */
export const openReadOnlySearch: OpenSearchSource = (options) => {
  const config = loadCliConfig(options);
  const { dbPath } = resolvePaths({ dbSetting: config.values.GITBOT_DB, dataDirSetting: config.values.GITBOT_DATA_DIR });
  if (!existsSync(dbPath)) {
    const missing = fail('not_found', `No index at ${dbPath}: run "gitbot index <folder>" first`);
    return { search: () => Promise.resolve(missing), close: () => {} };
  }
  let db: ReturnType<typeof openConnection>;
  try {
    db = openConnection(dbPath, { mode: 'reader' });
  } catch (error) {
    throw new AppError('database_error', `Cannot open the database ${dbPath}: ${(error as Error).message}`);
  }
  const budgetMs = config.values.SEARCH_TIMEOUT_MS;
  useSearchHold(searchHold(config.values.MEMORY_THRESHOLD_MB));
  return {
    search(arg) {
      const parsed = requestSchemas.search.safeParse(arg);
      if (!parsed.success) {
        return Promise.resolve(fail('bad_request', `Invalid argument for search: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`));
      }
      try {
        return Promise.resolve(ok(readOps.search(db, parsed.data, { control: searchControl({ budgetMs }) })));
      } catch (error) {
        const { code, message } = toResultError(error);
        return Promise.resolve(fail(code, message));
      }
    },
    close() {
      db.close();
    },
  };
};
