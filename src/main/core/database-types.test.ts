import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadonlyDatabase, WritableDatabase } from './base/database-types';
import { openConnection } from './db/open-connection';
import { ensureIndexFormat } from './index/schema';
import { IndexWriter } from './indexer/index-writer';
import { removeRepository } from './indexer/remove-repository';

describe('ReadonlyDatabase and WritableDatabase', () => {
  let dir: string;
  let dbPath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gitbot-types-'));
    dbPath = join(dir, 'index.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keep a reader out of every function that writes (checked by tsc -b), and SQLite refuses its writes too', () => {
    // An empty file, so the format is not there yet and ensureIndexFormat has to write.
    const writer: WritableDatabase = openConnection(dbPath, { mode: 'writer' });
    const reader: ReadonlyDatabase = openConnection(dbPath, { mode: 'reader' });
    try {
      // Each line fails to compile: a reader has no writable brand. Unused, @ts-expect-error fails tsc.
      const writes = [
        // @ts-expect-error a reader cannot be given to the function that creates the tables
        () => ensureIndexFormat(reader),
        // @ts-expect-error nor to the index writer
        () => new IndexWriter(reader),
        // @ts-expect-error nor to a repository's removal
        () => removeRepository(reader, '/repo'),
      ];
      // @ts-expect-error a reader is not a writer, even by assignment
      const promoted: WritableDatabase = reader;
      // A writer reads too: it goes wherever a reader goes.
      const demoted: ReadonlyDatabase = writer;
      expect(demoted).toBe(writer);
      expect(promoted).toBe(reader);
      // What the types stop at compile time, the read-only connection stops at run time.
      expect(writes[0]).toThrow('attempt to write a readonly database');
      expect(ensureIndexFormat(writer)).toEqual({ kind: 'created' });
    } finally {
      reader.close();
      writer.close();
    }
  });
});
