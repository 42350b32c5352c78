/**
 * Ops only tests and benchmarks load (through the pool's extraOpsModules), so the
 * production reader serves nothing but readOps and the pre-ping.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { threadId } from 'node:worker_threads';
import type { OpContext } from './read-ops';
import type { ReaderOps } from './reader-ops';

type Database = BetterSqlite3.Database;

export const ops = {
  /** Any statement with positional parameters; returns every row, or the run info of a write. */
  sql(db: Database, args: { sql: string; params?: readonly unknown[] }): unknown[] {
    const statement = db.prepare(args.sql);
    const params = args.params ?? [];
    return statement.reader ? statement.all(...params) : [statement.run(...params)];
  },
  /** Holds the thread like a long query would, without using the CPU. */
  sleep(_db: Database, args: { ms: number }): number {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, args.ms);
    return threadId;
  },
  /** A scan that never ends by itself but polls its control, as search does between documents. */
  spin(_db: Database, _args: undefined, context?: OpContext): never {
    for (;;) {
      context?.control.check();
    }
  },
  threadId(): number {
    return threadId;
  },
  /** Breaks the connection underneath the pool; the thread itself stays alive. */
  closeDatabase(db: Database): void {
    db.close();
  },
  /** Kills the thread, as a crash would. */
  exit(_db: Database, args: { code: number }): never {
    process.exit(args.code);
  },
};

export type TestOps = ReaderOps & typeof ops;
