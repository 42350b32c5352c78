/**
 * The raw bytes of an indexed file's lines, read back from disk for the lines whose indexed text
 * shows U+FFFD: the index keeps decoded text (docs/INDEX-FORMAT.md), in which a byte that is not
 * UTF-8 (a latin-1 `é`) became U+FFFD, while rg prints the byte itself. The file is read only
 * while its size and mtime are the ones indexed, and a line is used only when it decodes to the
 * indexed text (the text that was searched); else the line is written as indexed.
 */
import { closeSync, readSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { joinRaw } from '../files/raw-path';
import { openRegularFile } from '../files/regular-file';

const NEWLINE = 10;

const stamps = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

export class RawFileLines {
  private line = 1;
  private start = 0;

  private constructor(private readonly data: Buffer) {}

  /**
   * The lines of file `fileId` of the repository at `root`, named `name` (its raw bytes when not
   * UTF-8); null when it cannot be read or is no longer the file indexed. Reads the whole file:
   * at most MAX_FILE_SIZE, held while its lines are written.
   */
  static read(db: BetterSqlite3.Database, fileId: number, root: string, name: string | Buffer): RawFileLines | null {
    let stamp = stamps.get(db);
    if (stamp === undefined) {
      stamp = db.prepare('SELECT size, mtime_ms FROM files WHERE id = ?').raw();
      stamps.set(db, stamp);
    }
    const [size, mtimeMs] = (stamp.get(fileId) as [number, number] | undefined) ?? [-1, -1];
    const opened = openRegularFile(joinRaw(root, name));
    if (!opened.ok) {
      return null;
    }
    try {
      if (opened.stats.size !== size || Math.trunc(opened.stats.mtimeMs) !== mtimeMs) {
        return null;
      }
      const data = Buffer.allocUnsafe(size);
      let read = 0;
      while (read < size) {
        const count = readSync(opened.fd, data, read, size - read, read);
        if (count === 0) {
          return null;
        }
        read += count;
      }
      return new RawFileLines(data);
    } catch {
      return null;
    } finally {
      closeSync(opened.fd);
    }
  }

  /** Line `number`'s bytes (without the newline) when they decode to `text`, else null; asked in ascending order, it reads on from the last. */
  bytesOf(number: number, text: string): Buffer | null {
    if (number < this.line) {
      this.line = 1;
      this.start = 0;
    }
    while (this.line < number) {
      const newline = this.data.indexOf(NEWLINE, this.start);
      if (newline === -1) {
        return null;
      }
      this.start = newline + 1;
      this.line += 1;
    }
    const newline = this.data.indexOf(NEWLINE, this.start);
    const bytes = this.data.subarray(this.start, newline === -1 ? this.data.length : newline);
    return bytes.toString('utf8') === text ? bytes : null;
  }
}
