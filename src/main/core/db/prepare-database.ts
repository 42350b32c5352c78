import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../base/errors';
import { openConnection } from './open-connection';
import { checkPages, heldByRunningProcess, leftOpen, removeOpenMarker, writeOpenMarker, type DamagedState, type DatabaseState } from './integrity-check';
import type { ReadonlyDatabase } from '../base/database-types';
import { describeFormatOutcome, ensureIndexFormat, hasCurrentFormat } from '../index/schema';

/** Whether this process may write the database: 'read-only' when the file or its folder is not writable. */
export type DatabaseAccess = (dbPath: string) => 'read-write' | 'read-only';

/**
 * access(W_OK) on the file and its folder (SQLite writes -wal and -shm beside the file). A
 * missing file is 'read-write': creating it fails with its own message when it cannot be done.
 * Root passes access(W_OK) whatever the mode, so tests that run as root inject their own.
 */
export const fileAccess: DatabaseAccess = (dbPath) => {
  if (!existsSync(dbPath)) return 'read-write';
  try {
    accessSync(dbPath, constants.W_OK);
    accessSync(dirname(dbPath), constants.W_OK);
    return 'read-write';
  } catch {
    return 'read-only';
  }
};

export interface PreparedDatabase {
  /** The sentence for the log when an index of another format was emptied, or null. */
  readonly notice: string | null;
  readonly state: DatabaseState;
}

/**
 * Creates the database file (WAL mode, current schema) before any reader opens it, so a
 * search before the first index answers "nothing indexed" instead of failing. A foreign or
 * locked file is reported here, at start-up, with its path. An index of another format is
 * emptied for a rebuild; the sentence saying so is returned for the log. After an unclean
 * close (the open marker is there) quick_check reads every page first: damage found there
 * is returned as the state, so the core starts, says so and refuses to use the file. A
 * database this process may not write is opened read-only and left as it is.
 */
export function prepareDatabase(dbPath: string, access: DatabaseAccess = fileAccess): PreparedDatabase {
  const readOnly = access(dbPath) === 'read-only';
  const damage = damageAfterCrash(dbPath);
  if (damage !== null) {
    return { notice: null, state: damage };
  }
  if (readOnly) {
    return readOnlyDatabase(dbPath);
  }
  const unclean = leftOpen(dbPath);
  try {
    mkdirSync(dirname(dbPath), { recursive: true });
    // A running core's marker stays its own: it removes it when it closes.
    if (!heldByRunningProcess(dbPath)) writeOpenMarker(dbPath);
    const db = openConnection(dbPath, { mode: 'writer' });
    try {
      // Reading the schema is enough to tell a foreign or truncated file; a full check
      // (damageAfterCrash) would read every page at every start, seconds on a large index.
      const outcome = ensureIndexFormat(db);
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      return { notice: describeFormatOutcome(dbPath, outcome), state: { kind: 'sound' } };
    } finally {
      db.close();
    }
  } catch (error) {
    // The core does not start: its marker goes, unless an earlier crash left one.
    if (!unclean) removeOpenMarker(dbPath);
    throw describeOpenError(dbPath, error);
  }
}

/**
 * After an unclean close, quick_check through a read-only connection: a damaged file is
 * never written, not even by the checkpoint a writer makes when it closes. Null when sound
 * or closed cleanly.
 */
function damageAfterCrash(dbPath: string): DamagedState | null {
  if (!existsSync(dbPath) || !leftOpen(dbPath)) return null;
  return withReader(dbPath, checkPages);
}

/** A database this process may not write: read with a read-only connection, never changed. */
function readOnlyDatabase(dbPath: string): PreparedDatabase {
  withReader(dbPath, hasCurrentFormat);
  return { notice: null, state: { kind: 'read_only' } };
}

function withReader<T>(dbPath: string, read: (db: ReadonlyDatabase) => T): T {
  try {
    const db = openConnection(dbPath, { mode: 'reader' });
    try {
      return read(db);
    } finally {
      db.close();
    }
  } catch (error) {
    throw describeOpenError(dbPath, error);
  }
}

/** The error a user sees when the database cannot be opened or read, with its path and what to do. */
export function describeOpenError(dbPath: string, error: unknown): Error {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new AppError('database_error', `The database ${dbPath} is not a valid SQLite database (${message}); move it away to start a new index`);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError('database_error', `The database ${dbPath} is locked by another program (${message})`);
  }
  if (code === 'SQLITE_READONLY_DIRECTORY') {
    // A WAL database needs its -shm file; SQLite cannot create one in a read-only folder.
    return new AppError('database_error', `Cannot open the database ${dbPath}: its folder is read-only and SQLite needs to create its -shm file there; copy the database to a writable folder`);
  }
  return new AppError('database_error', `Cannot open the database ${dbPath}: ${message}`);
}
