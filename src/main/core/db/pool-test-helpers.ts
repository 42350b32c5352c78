/** Shared set-up of the pool's thread tests: a real SQLite file in a temp dir, a recording logger, a pool disposed after each test. */
import { afterEach, beforeEach } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogEntry } from '../../../shared/types';
import { loadConfig } from '../config/load-config';
import type { SettingName } from '../config/definitions';
import { SinkLogger } from '../log/logger';
import { sourceWorkers, type WorkerEntry } from '../base/workers';
import { openConnection } from './open-connection';
import { ReaderPool, type ReaderPoolOptions } from './pool';
import type { TestOps } from '../query/pool-test-ops';

export const coreDir = fileURLToPath(new URL('..', import.meta.url));
/** The test-only reader entry: the production ops plus the test ops, and the hang-on-open marker. */
export const testReaderEntry: WorkerEntry = { filename: fileURLToPath(new URL('../query/pool-test-reader-worker.ts', import.meta.url)), execArgv: ['--require', 'tsx/cjs'] };

export interface TempDatabase {
  readonly dir: string;
  readonly dbPath: string;
  remove(): void;
}

/** A WAL database with `items(id, value)` holding `rows` rows. */
export function createTempDatabase(rows = 100): TempDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'gitbot-pool-'));
  const dbPath = join(dir, 'index.sqlite');
  const db = openConnection(dbPath, { mode: 'writer' });
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, value TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO items (value) VALUES (?)');
  db.transaction(() => {
    for (let index = 0; index < rows; index++) {
      insert.run(`item ${index}`);
    }
  })();
  db.close();
  return { dir, dbPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export class RecordingLogger extends SinkLogger {
  readonly entries: LogEntry[] = [];
  constructor() {
    const entries: LogEntry[] = [];
    super('debug', [(entry) => entries.push(entry)]);
    this.entries = entries;
  }

  messages(level?: LogEntry['level']): string[] {
    return this.entries.filter((entry) => level === undefined || entry.level === level).map((entry) => entry.message);
  }
}

/** A test clock that only moves when told to. */
export class ManualClock {
  constructor(public time = 1_700_000_000_000) {}
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Settings through the real loader, so only values it accepts reach the pool. */
export function poolSettings(overrides: Partial<Record<SettingName, string>> = {}): ReaderPoolOptions['settings'] {
  return loadConfig({ env: {}, overrides }).values;
}

export function createTestPool(
  database: TempDatabase,
  overrides: Partial<Record<SettingName, string>> = {},
  options: Partial<ReaderPoolOptions> = {},
): { pool: ReaderPool<TestOps>; logger: RecordingLogger } {
  const logger = new RecordingLogger();
  const pool = new ReaderPool<TestOps>({
    dbPath: database.dbPath,
    settings: poolSettings(overrides),
    workers: sourceWorkers(coreDir),
    logger,
    entry: testReaderEntry,
    ...options,
  });
  return { pool, logger };
}

/** OS threads of this process (Linux), to prove that no reader thread is left behind. */
export function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

/**
 * The thread count once it has stopped changing: a thread from the previous test (a writer
 * worker, V8's helpers) may still be ending, and a baseline taken mid-exit would sit too high.
 */
export async function settledThreadCount(): Promise<number> {
  let last = threadCount();
  for (let stable = 0, polls = 0; stable < 5 && polls < 200; polls++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = threadCount();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

/**
 * Waits until the process has no more than `limit` threads. "No more", not "exactly": a thread
 * the pool does not own (V8's, libuv's) may end meanwhile; one the pool leaked never does.
 */
export async function expectThreadsAtMost(limit: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (threadCount() > limit) {
    if (Date.now() > deadline) {
      throw new Error(`Expected at most ${limit} threads, found ${threadCount()}: a thread was left behind`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Polls until `check` holds, for state that settles when a thread has exited. */
export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error('Condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What `usePoolFixture` gives each test: its database and a way to open pools that are disposed after it. */
export interface PoolFixture {
  readonly database: TempDatabase;
  open(overrides?: Partial<Record<SettingName, string>>, options?: Partial<ReaderPoolOptions>): { pool: ReaderPool<TestOps>; logger: RecordingLogger };
}

/**
 * The set-up every pool thread test shares: a fresh database before each test; after it,
 * every pool it opened is disposed (threads ended) and the database removed.
 */
export function usePoolFixture(rows?: number): PoolFixture {
  let database: TempDatabase | undefined;
  const pools: ReaderPool<TestOps>[] = [];
  beforeEach(() => {
    database = createTempDatabase(rows);
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.dispose()));
    database?.remove();
  });
  return {
    get database(): TempDatabase {
      if (database === undefined) {
        throw new Error('usePoolFixture: the database exists only inside a test');
      }
      return database;
    },
    open(overrides = {}, options = {}) {
      const opened = createTestPool(this.database, overrides, options);
      pools.push(opened.pool);
      return opened;
    },
  };
}

/** Checks out `count` connections at once (so `count` threads open) and returns them all. */
export async function openConnections(target: ReaderPool<TestOps>, count: number): Promise<void> {
  const leases = await Promise.all(Array.from({ length: count }, (_, index) => target.acquire(`burst ${index}`)));
  for (const lease of leases) {
    lease.release();
  }
}
