/**
 * Ops only tests and benchmarks load (through the pool's extraOpsModules), so the
 * production reader serves nothing but readOps and the pre-ping.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { getHeapStatistics } from 'node:v8';
import { threadId } from 'node:worker_threads';
import { indexSnapshot, type IndexSnapshot } from '../search/index-snapshot';
import type { OpContext } from './read-ops';
import type { ReaderOps } from './reader-ops';

type Database = BetterSqlite3.Database;

/** The index snapshot `markSnapshot` saw, to tell whether a later one is the same object. */
let markedSnapshot: WeakRef<IndexSnapshot> | undefined;
// Garbage held until `dropGarbage`, so no collection can free it before the test lets it go.
let retained: unknown[] | null = null;

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
  /** Allocates `mb` MiB of arrays on the thread's heap and drops them on return, so only a GC gives them back; returns the heap used while they lived. */
  makeGarbage(_db: Database, args: { mb: number }): number {
    const garbage = Array.from({ length: args.mb * 64 }, (_, index) => new Array<number>(2048).fill(index + 0.5));
    retained = garbage;
    return garbage.length > 0 ? getHeapStatistics().used_heap_size : 0;
  },
  /** Lets go of what `makeGarbage` made, without collecting it. */
  dropGarbage(): number {
    const held = retained?.length ?? 0;
    retained = null;
    if (held === 0) {
      throw new Error('dropGarbage: nothing was retained');
    }
    return getHeapStatistics().used_heap_size;
  },
  /** The thread's heap used now, without collecting. */
  heapUsed(): number {
    return getHeapStatistics().used_heap_size;
  },
  /** Remembers the connection's current index snapshot; returns whether it is the one remembered last time. */
  markSnapshot(db: Database): boolean {
    const snapshot = indexSnapshot(db);
    const same = markedSnapshot?.deref() === snapshot;
    markedSnapshot = new WeakRef(snapshot);
    return same;
  },
  /** Kills the thread, as a crash would. */
  exit(_db: Database, args: { code: number }): never {
    process.exit(args.code);
  },
};

export type TestOps = ReaderOps & typeof ops;
