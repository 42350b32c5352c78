import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../base/errors';
import { openConnection } from './open-connection';
import { describeFormatOutcome, ensureIndexFormat } from '../index/schema';

/**
 * Creates the database file (WAL mode, current schema) before any reader opens it, so a
 * search before the first index answers "nothing indexed" instead of failing. A corrupt,
 * foreign or locked file is reported here, at start-up, with its path. An index of another
 * format is emptied for a rebuild; the sentence saying so is returned for the log.
 */
export function prepareDatabase(dbPath: string): string | null {
  try {
    mkdirSync(dirname(dbPath), { recursive: true });
    const db = openConnection(dbPath, { mode: 'writer' });
    try {
      // Reading the schema is enough to tell a foreign or truncated file; a full quick_check
      // would read every page, seconds on a large index, at every start.
      const outcome = ensureIndexFormat(db);
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      return describeFormatOutcome(dbPath, outcome);
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
  if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_READONLY') {
    return new AppError('database_error', `Cannot open the database ${dbPath}: ${message}`);
  }
  return new AppError('database_error', `Cannot open the database ${dbPath}: ${message}`);
}
