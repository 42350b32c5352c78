import { closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * An append-only log file that rotates at `maxBytes`, keeping `files` generations
 * (gitbot.log, gitbot.log.1, ...). Writes are synchronous and small so a crash keeps
 * every line written before it.
 */
export class RotatingFile {
  private fd: number;
  private size: number;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly maxBytes: number,
    private readonly files: number,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
    this.size = statSync(path).size;
  }

  /** Appends one line; after close it does nothing, so a late log line cannot reopen the file. */
  write(line: string): void {
    if (this.closed) return;
    const bytes = Buffer.byteLength(line) + 1;
    if (this.size + bytes > this.maxBytes && this.size > 0) {
      this.rotate();
    }
    writeSync(this.fd, `${line}\n`);
    this.size += bytes;
  }

  /** Bytes in the current generation. */
  get currentSize(): number {
    return this.size;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    rmSync(`${this.path}.${this.files - 1}`, { force: true });
    for (let generation = this.files - 2; generation >= 1; generation -= 1) {
      try {
        renameSync(`${this.path}.${generation}`, `${this.path}.${generation + 1}`);
      } catch {
        // A missing generation is normal until the log has rotated that often.
      }
    }
    if (this.files > 1) {
      renameSync(this.path, `${this.path}.1`);
    } else {
      rmSync(this.path, { force: true });
    }
    this.fd = openSync(this.path, 'a');
    this.size = 0;
  }
}
