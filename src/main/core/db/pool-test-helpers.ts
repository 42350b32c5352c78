/** Shared set-up of the pool tests: a real SQLite file in a temp dir and a recording logger. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogEntry } from '../../../shared/types';
import { loadConfig } from '../config/load-config';
import type { SettingName } from '../config/definitions';
import { SinkLogger } from '../log/logger';
import { sourceWorkers } from '../workers';
import { openConnection } from './open-connection';
import { ReaderPool, type ReaderPoolOptions } from './pool';
import type { TestOps } from '../query/pool-test-ops';

export const coreDir = fileURLToPath(new URL('..', import.meta.url));
export const testOpsModule = fileURLToPath(new URL('../query/pool-test-ops.ts', import.meta.url));

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
    extraOpsModules: [testOpsModule],
    ...options,
  });
  return { pool, logger };
}

/** OS threads of this process (Linux), to prove that no reader thread is left behind. */
export function threadCount(): number {
  return readdirSync('/proc/self/task').length;
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
