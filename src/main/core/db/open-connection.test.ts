import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection } from './open-connection';

describe('openConnection', () => {
  let dir: string;
  let dbPath: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gitbot-open-'));
    dbPath = join(dir, 'index.sqlite');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the writer in WAL mode with a busy timeout, creating the file', () => {
    const writer = openConnection(dbPath, { mode: 'writer', busyTimeoutMs: 1234 });
    expect(writer.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(writer.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(writer.pragma('synchronous', { simple: true })).toBe(1);
    writer.close();
  });

  it('opens a reader read-only, so it cannot write', () => {
    const writer = openConnection(dbPath, { mode: 'writer' });
    writer.exec('CREATE TABLE t (x)');
    const reader = openConnection(dbPath, { mode: 'reader' });
    expect(reader.readonly).toBe(true);
    expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(reader.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(() => reader.exec('INSERT INTO t VALUES (1)')).toThrow('attempt to write a readonly database');
    reader.close();
    writer.close();
  });

  it('refuses to create a missing database for a reader', () => {
    expect(() => openConnection(dbPath, { mode: 'reader' })).toThrow('unable to open database file');
  });
});
