import type BetterSqlite3 from 'better-sqlite3';

declare const readable: unique symbol;
declare const writable: unique symbol;

/**
 * A connection that may only read: what `openConnection` returns for a reader, which SQLite
 * also opens read-only (so a write fails at run time, SQLITE_READONLY). The brand keeps it
 * out of every function that writes, at compile time: those take a WritableDatabase.
 */
export type ReadonlyDatabase = BetterSqlite3.Database & { readonly [readable]: true };

/**
 * The one writer's connection (`openConnection` in writer mode). It reads too, so it goes
 * wherever a ReadonlyDatabase or a plain Database does; a reader never goes where it does.
 */
export type WritableDatabase = ReadonlyDatabase & { readonly [writable]: true };
