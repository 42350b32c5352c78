import Database from 'better-sqlite3';
import type { ReadonlyDatabase, WritableDatabase } from '../base/database-types';

export type ConnectionMode = 'reader' | 'writer';

export interface OpenConnectionOptions {
  /** A reader is opened read-only, so code holding one cannot write by mistake. */
  readonly mode: ConnectionMode;
  /** How long SQLite retries a locked database before SQLITE_BUSY; 5 s by default. */
  readonly busyTimeoutMs?: number;
  /** SQLite page cache in KiB; better-sqlite3's 16 MB when absent. */
  readonly cacheKib?: number;
}

/**
 * Opens a better-sqlite3 connection set up for one writer and many readers: WAL mode (readers
 * never block the writer nor each other), a busy timeout, and read-only readers. A reader
 * needs an existing file: the writer creates it and switches it to WAL, which is persistent.
 */
export function openConnection(path: string, options: OpenConnectionOptions & { readonly mode: 'reader' }): ReadonlyDatabase;
export function openConnection(path: string, options: OpenConnectionOptions & { readonly mode: 'writer' }): WritableDatabase;
export function openConnection(path: string, options: OpenConnectionOptions): ReadonlyDatabase | WritableDatabase {
  const reader = options.mode === 'reader';
  const db = new Database(path, {
    readonly: reader,
    fileMustExist: reader,
    timeout: options.busyTimeoutMs ?? 5000,
    // Under Electron, npm start points this at an Electron-ABI build kept outside node_modules.
    nativeBinding: process.env.GITBOT_SQLITE_BINDING || undefined,
  });
  try {
    if (reader) {
      // Keeps a reader's temporary b-trees (sorts, DISTINCT) in memory instead of temp files.
      db.pragma('temp_store = MEMORY');
    } else {
      db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL is durable across application crashes and much faster than FULL.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    }
    if (options.cacheKib !== undefined) {
      db.pragma(`cache_size = -${Math.max(1, Math.round(options.cacheKib))}`);
    }
  } catch (error) {
    db.close();
    throw error;
  }
  // The brands exist only in types; the read-only flag above is what SQLite enforces.
  return db as WritableDatabase;
}
