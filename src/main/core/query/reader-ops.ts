import type BetterSqlite3 from 'better-sqlite3';
import { fileLineOps } from '../search/file-lines';
import { clearSearchCache } from '../search/search';
import { readOps, type OpContext, type ReadOps } from './read-ops';
import { releaseReaderMemory } from './reader-memory';

type Database = BetterSqlite3.Database;

/**
 * A named read operation as the reader worker runs it: synchronous, on its own connection.
 * Long ops poll `context.control` for their deadline and cancellation.
 */
export type QueryOp = (db: Database, args: never, context: OpContext) => unknown;

export type QueryOpTable = Readonly<Record<string, QueryOp>>;

const pingStatements = new WeakMap<Database, BetterSqlite3.Statement>();

/** Ops the pool itself needs. */
export const poolOps = {
  /** The pre-ping: a trivial query that fails if the connection is closed or broken. */
  ping(db: Database): number {
    let statement = pingStatements.get(db);
    if (statement === undefined) {
      statement = db.prepare('SELECT 1').pluck();
      pingStatements.set(db, statement);
    }
    return statement.get() as number;
  },
  /** Drops the connection's per-query search state; the pool asks on memory pressure. */
  clearSearchCache(db: Database): void {
    clearSearchCache(db);
  },
  /** The memory cleanup's part in this thread: caches, snapshot, SQLite's pages, a full GC. */
  releaseMemory: releaseReaderMemory,
};

/** Every op a production reader worker serves: the app's reads and the pre-ping. */
export type ReaderOps = ReadOps & typeof poolOps & typeof fileLineOps;

export const readerOps: ReaderOps = { ...readOps, ...poolOps, ...fileLineOps };
