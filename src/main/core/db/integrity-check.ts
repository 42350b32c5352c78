import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../base/errors';

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
    const rows = db
      .prepare(`PRAGMA quick_check(${Math.max(1, Math.floor(maxProblems))})`)
      .pluck()
      .all() as string[];
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
 * The open marker, `<database>.open`, holding the id of the process that wrote it: written
 * when a core opens the database for writing and removed by that core when it closes cleanly
 * (kept while the database is damaged, so the next start checks again). A marker whose
 * process is gone means that process crashed. SQLite's own -wal file is no such sign: the
 * first clean close after a crash removes it, damage or not. A second core that opens the
 * database while the first runs leaves the marker to it.
 */
export function openMarkerPath(dbPath: string): string {
  return `${dbPath}.open`;
}

/**
 * True when the database was not closed cleanly: the marker is there and names no running
 * process but this one (a crashed process's id, or this process's own from a crash before a
 * restart that gave it the same id, as in a container).
 */
export function leftOpen(dbPath: string): boolean {
  return existsSync(openMarkerPath(dbPath)) && !heldByRunningProcess(dbPath);
}

/**
 * True when the marker names another process that is still running: a core that holds the
 * database now, checked it at its start and watches every statement, so neither a second
 * core nor a one-shot `gitbot health` reads every page again.
 */
export function heldByRunningProcess(dbPath: string): boolean {
  const pid = markerOwner(dbPath);
  if (pid === null || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes this process's id into the marker; a folder that cannot take it is no error (nothing will be written there either). */
export function writeOpenMarker(dbPath: string): void {
  try {
    writeFileSync(openMarkerPath(dbPath), `${process.pid}\n`);
  } catch {
    // Read-only folder: the database is opened read-only, so there is no unclean close to detect.
  }
}

/** Removes the marker if this process wrote it; another running core's marker stays. */
export function removeOpenMarker(dbPath: string): void {
  if (markerOwner(dbPath) === process.pid) rmSync(openMarkerPath(dbPath), { force: true });
}

/** The process id in the marker; null without a marker or with one that names none. */
function markerOwner(dbPath: string): number | null {
  let text: string;
  try {
    text = readFileSync(openMarkerPath(dbPath), 'utf8');
  } catch {
    return null;
  }
  const pid = Number.parseInt(text, 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
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
