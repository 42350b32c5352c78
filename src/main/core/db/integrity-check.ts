import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../errors';

/** Problems `PRAGMA quick_check` lists at most: enough to name the damage, cheap to stop at. */
const QUICK_CHECK_PROBLEMS = 3;

/**
 * A SQLite error that crossed a thread boundary as an AppError: its result code is kept so
 * the caller can tell a damaged file (SQLITE_CORRUPT) from a busy one (SQLITE_BUSY).
 */
export class DatabaseError extends AppError {
  constructor(
    message: string,
    readonly sqliteCode: string,
  ) {
    super('database_error', message);
  }
}

/** SQLITE_CORRUPT and its extended codes (SQLITE_CORRUPT_INDEX...), and SQLITE_NOTADB: the file's bytes are wrong. */
export function isCorruption(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = error instanceof DatabaseError ? error.sqliteCode : (error as { code?: unknown }).code;
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_'));
}

/**
 * The problems `PRAGMA quick_check(N)` finds (b-tree structure, page and record format; not
 * index contents, which integrity_check also compares), one line each: empty when the file is
 * sound. A file too damaged for the check to run is one problem, SQLite's message.
 */
function quickCheck(db: BetterSqlite3.Database, maxProblems = QUICK_CHECK_PROBLEMS): string[] {
  try {
    const rows = db.prepare(`PRAGMA quick_check(${Math.max(1, Math.floor(maxProblems))})`).pluck().all() as string[];
    if (rows.length === 1 && rows[0] === 'ok') return [];
    // A row may hold several lines, and names the schema first ("*** in database main ***").
    return rows.flatMap((row) => row.split('\n')).filter((line) => line.trim() !== '' && !line.startsWith('***'));
  } catch (error) {
    if (isCorruption(error)) return [(error as Error).message];
    throw error;
  }
}

/** The damaged state quick_check finds, or null when the pages are sound. */
export function checkPages(db: BetterSqlite3.Database): DamagedState | null {
  const problems = quickCheck(db);
  return problems.length === 0 ? null : { kind: 'damaged', detail: `quick_check: ${problems.join('; ')}` };
}

/**
 * The open marker, `<database>.open`: written when a core opens the database for writing and
 * removed when it closes cleanly, so a marker found at open means the last writer crashed
 * (or another process has the database open: then the check only costs time). SQLite's own
 * -wal file is no such sign: the first clean close after a crash removes it, damage or not.
 */
export function openMarkerPath(dbPath: string): string {
  return `${dbPath}.open`;
}

/** True when the marker is there, i.e. the database was not closed cleanly (see openMarkerPath). */
export function leftOpen(dbPath: string): boolean {
  return existsSync(openMarkerPath(dbPath));
}

/**
 * True when the marker names a process that is still running (not this one): a core that
 * holds the database now, checked it at its start and watches every statement, so a one-shot
 * `gitbot health` need not read every page again. A crashed process's id may be reused, so
 * only that reader relies on this, never a core's start.
 */
export function heldByRunningProcess(dbPath: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(openMarkerPath(dbPath), 'utf8'), 10);
  } catch {
    return false;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function writeOpenMarker(dbPath: string): void {
  writeFileSync(openMarkerPath(dbPath), `${process.pid}\n`);
}

export function removeOpenMarker(dbPath: string): void {
  rmSync(openMarkerPath(dbPath), { force: true });
}

/** What the user sees for a damaged database: which file, what SQLite found, and the way out. */
export function damagedMessage(dbPath: string, detail: string): string {
  return (
    `The database ${dbPath} is damaged (${detail}). The index is derived from your files: ` +
    `move the database away with its -wal and -shm files, then run "gitbot index <folder>" for each repository to rebuild it.`
  );
}

/** What the user sees for a database this process may not write. */
export function readOnlyMessage(dbPath: string): string {
  return `The database ${dbPath} is read-only (no write permission on the file or its folder): search works, indexing is refused. Make both writable to index again.`;
}

export type DamagedState = { readonly kind: 'damaged'; readonly detail: string };

export type DatabaseState = { readonly kind: 'sound' } | { readonly kind: 'read_only' } | DamagedState;

/** What health shows for a state that is not sound. */
export interface IntegrityFault {
  readonly severity: 'degraded' | 'unhealthy';
  readonly message: string;
}

/**
 * The one place that knows whether the database may be read and written. A damaged file
 * (found by quick_check at open, or by any statement that fails with SQLITE_CORRUPT or
 * SQLITE_NOTADB) stops searches and index runs with the same message until the file is
 * replaced: results read from damaged pages can be silently wrong, and writes can spread the
 * damage. A read-only file stops index runs only.
 */
export class DatabaseIntegrity {
  private current: DatabaseState;

  constructor(
    readonly dbPath: string,
    state: DatabaseState = { kind: 'sound' },
    private readonly onFault: (fault: IntegrityFault) => void = () => {},
  ) {
    this.current = state;
    const fault = this.fault();
    if (fault !== null) onFault(fault);
  }

  get state(): DatabaseState {
    return this.current;
  }

  fault(): IntegrityFault | null {
    switch (this.current.kind) {
      case 'sound':
        return null;
      case 'read_only':
        return { severity: 'degraded', message: readOnlyMessage(this.dbPath) };
      case 'damaged':
        return { severity: 'unhealthy', message: damagedMessage(this.dbPath, this.current.detail) };
    }
  }

  /** Records damage (the first detail found is kept) and returns the error to throw. */
  markDamaged(detail: string): AppError {
    if (this.current.kind !== 'damaged') {
      this.current = { kind: 'damaged', detail };
      this.onFault(this.fault() as IntegrityFault);
    }
    return this.damagedError();
  }

  /** Throws unless the database may be written (an index run, a removal). */
  assertWritable(): void {
    if (this.current.kind === 'damaged') throw this.damagedError();
    if (this.current.kind === 'read_only') throw new AppError('database_error', `Indexing is refused: ${readOnlyMessage(this.dbPath)}`);
  }

  /**
   * Runs a read unless the database is known damaged; a read that fails on damage marks it
   * so and fails with the damage message instead of SQLite's.
   */
  async read<T>(work: () => Promise<T>): Promise<T> {
    if (this.current.kind === 'damaged') throw this.damagedError();
    try {
      return await work();
    } catch (error) {
      throw isCorruption(error) ? this.markDamaged(sqliteMessage(error)) : error;
    }
  }

  /** The message an index run that failed on `error` reports: the damage message when SQLite found damage. */
  describeWriteFailure(message: string, code: string | null): string {
    return code !== null && isCorruption({ code }) ? this.markDamaged(message).message : message;
  }

  private damagedError(): AppError {
    return new AppError('database_error', damagedMessage(this.dbPath, this.current.kind === 'damaged' ? this.current.detail : ''));
  }
}

/** SQLite's own words, without the "Database error: " a reader adds when it passes the error on. */
function sqliteMessage(error: unknown): string {
  return (error as Error).message.replace(/^Database error: /, '');
}
