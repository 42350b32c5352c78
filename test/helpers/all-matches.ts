import type BetterSqlite3 from 'better-sqlite3';
import { readOps } from '../../src/main/core/query/read-ops';
import type { SearchQuery } from '../../src/main/core/search/search';
import { MAX_PAGE_MATCHES } from '../../src/shared/search-limits';
import type { SearchMatch } from '../../src/shared/types';

/** Every match of a search, page after page through the cursors, the way a client reads them. */
export function allMatches(db: BetterSqlite3.Database, query: SearchQuery, pageSize = MAX_PAGE_MATCHES): SearchMatch[] {
  const matches: SearchMatch[] = [];
  let cursor: string | undefined;
  do {
    const page = readOps.search(db, { ...query, limit: pageSize, ...(cursor === undefined ? {} : { cursor }) });
    matches.push(...page.matches);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return matches;
}
