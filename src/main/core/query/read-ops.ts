/**
 * The read operations a reader worker runs on its own read-only connection: plain
 * synchronous functions whose results are structured-cloneable. The pool imports this
 * table; nothing here writes.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { resolve } from 'node:path';
import type { RepositoryInfo, SearchPage, SearchTotal, SkippedFile, SkipReason } from '../../../shared/types';
import { AppError } from '../base/errors';
import { countMatches, search, type SearchArgs, type SearchQuery } from '../search/search';
import { listingChunk, type ListingArgs, type ListingChunk } from '../search/listing-chunk';
import type { SearchControl } from '../search/search-control';
import { FileState } from '../index/format';
import { hasCurrentFormat } from '../index/schema';

type Database = BetterSqlite3.Database;

export interface ListSkippedArgs {
  readonly repo: string;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

/** A database the writer has not created the tables in yet reads as empty; another format is refused. */
function hasTables(db: Database): boolean {
  return hasCurrentFormat(db);
}

/**
 * What the reader worker hands every op besides its arguments: the control a long op polls
 * for its deadline and cancellation. Optional, so ops that do not need it ignore it.
 */
export interface OpContext {
  readonly control: SearchControl;
}

/** A search of a database without tables finds nothing, but a repository it names is unknown. */
function assertNoRepository(args: SearchQuery): void {
  if (args.repo !== undefined) {
    throw new AppError('not_found', `Repository not indexed: ${resolve(args.repo)}`);
  }
}

export const readOps = {
  search(db: Database, args: SearchArgs, context?: OpContext): SearchPage {
    if (!hasTables(db)) {
      assertNoRepository(args);
      return { matches: [], total: { matches: 0, files: 0, exact: true }, elapsedMs: 0 };
    }
    return search(db, args, context?.control);
  },

  /** The next chunk of a full listing, already written as output (search/listing-chunk.ts). */
  searchListing(db: Database, args: ListingArgs, context?: OpContext): ListingChunk {
    if (!hasTables(db)) {
      assertNoRepository(args);
      return { output: '', lines: 0, total: { matches: 0, files: 0, exact: true } };
    }
    return listingChunk(db, args, context?.control);
  },

  countMatches(db: Database, args: SearchQuery, context?: OpContext): SearchTotal {
    if (!hasTables(db)) {
      assertNoRepository(args);
      return { matches: 0, files: 0, exact: true };
    }
    return countMatches(db, args, context?.control);
  },

  listRepositories(db: Database): RepositoryInfo[] {
    if (!hasTables(db)) {
      return [];
    }
    return db
      .prepare(
        `SELECT r.root, r.last_indexed_at AS lastIndexedAt,
           coalesce(sum(f.state = ${FileState.indexed}), 0) AS files,
           coalesce(sum(CASE WHEN f.state = ${FileState.indexed} THEN f.size ELSE 0 END), 0) AS bytes,
           coalesce(sum(CASE WHEN f.state = ${FileState.indexed} THEN f.documents ELSE 0 END), 0) AS documents,
           coalesce(sum(f.state = ${FileState.skipped}), 0) AS skipped
         FROM repositories r LEFT JOIN files f ON f.repo_id = r.id
         GROUP BY r.id ORDER BY r.root`,
      )
      .all() as RepositoryInfo[];
  },

  listSkippedFiles(db: Database, args: ListSkippedArgs): { files: SkippedFile[]; total: number } {
    const root = resolve(args.repo);
    const repo = hasTables(db) ? (db.prepare('SELECT id FROM repositories WHERE root = ?').pluck().get(root) as number | undefined) : undefined;
    if (repo === undefined) {
      throw new AppError('not_found', `Repository not indexed: ${root}`);
    }
    const total = db.prepare(`SELECT count(*) FROM files WHERE repo_id = ? AND state = ${FileState.skipped}`).pluck().get(repo) as number;
    const files = db
      .prepare(`SELECT path, skip_reason AS reason, detail FROM files WHERE repo_id = ? AND state = ${FileState.skipped} ORDER BY path LIMIT ? OFFSET ?`)
      .all(repo, args.limit ?? 100, args.offset ?? 0) as { path: string; reason: SkipReason; detail: string | null }[];
    return { files, total };
  },
};

export type ReadOps = typeof readOps;
