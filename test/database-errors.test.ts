import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/main/cli/run-cli';
import { captureIo, configureTestBundle } from './helpers/test-core';

describe('a damaged or locked database', () => {
  let dir: string;
  beforeEach(() => {
    configureTestBundle();
    dir = mkdtempSync(join(tmpdir(), 'gitbot-dberr-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is reported in one line at start-up and left untouched', async () => {
    const dbPath = join(dir, 'index.sqlite');
    const garbage = Buffer.from("this is not a database, but it is somebody's file\n".repeat(200));
    writeFileSync(dbPath, garbage);
    const run = captureIo({ GITBOT_DATA_DIR: dir }, dir);
    expect(await runCli(['health', '--db', dbPath], run.io)).toBe(1);
    expect(run.stderr()).toBe(`gitbot health: The database ${dbPath} is not a valid SQLite database (file is not a database); move it away to start a new index\n`);
    expect(readFileSync(dbPath).equals(garbage)).toBe(true);
  });

  it('says so when another program holds an exclusive lock', async () => {
    const dbPath = join(dir, 'locked.sqlite');
    const holder = new Database(dbPath);
    holder.exec("CREATE TABLE kept (value TEXT); INSERT INTO kept VALUES ('precious')");
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const run = captureIo({ GITBOT_DATA_DIR: dir }, dir);
      const started = Date.now();
      expect(await runCli(['health', '--db', dbPath], run.io)).toBe(1);
      expect(run.stderr()).toMatch(new RegExp(`^gitbot health: The database ${dbPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is locked by another program \\(database is locked\\)\\n$`));
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      holder.exec('COMMIT');
      holder.close();
    }
    const check = new Database(dbPath, { readonly: true });
    expect(check.prepare('SELECT value FROM kept').pluck().all()).toEqual(['precious']);
    check.close();
  });
});
