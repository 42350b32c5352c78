/**
 * A plain listing's chunk as bytes, the way rg writes its lines: `path:line:`, the line's raw
 * bytes, a newline. A latin-1 line or a name that is not UTF-8 comes out byte for byte as rg
 * prints it (as a string it would have turned into U+FFFD), and the lines are copied into one
 * buffer: no string per line, no join, nothing to encode on the way to stdout.
 */
import { join, relative } from 'node:path';

const COLON = 0x3a;
const NEWLINE = 0x0a;
const ZERO = 0x30;
/** Longest line copied in a loop (profiled on a `\\w+` listing: 32 left a view per line of code to create). */
const BYTE_LOOP_MOST = 160;

/** Bytes a chunk's buffer starts with; it grows (doubling) up to the budget. */
const FIRST_CAPACITY = 128 * 1024;

export class PlainLines {
  private buffer: Buffer;
  private used = 0;
  private prefix: Buffer = Buffer.alloc(0);

  /** `budget`: most bytes of the chunk (Infinity: none), passed only by a first line longer than it. */
  constructor(private readonly budget: number) {
    this.buffer = Buffer.allocUnsafe(Math.min(budget, FIRST_CAPACITY));
  }

  /** The lines added next are of the file named `name` (relative to the working folder, as bytes). */
  file(name: Buffer): void {
    const prefix = Buffer.allocUnsafe(name.length + 1);
    name.copy(prefix);
    prefix[name.length] = COLON;
    this.prefix = prefix;
  }

  /**
   * Adds line `line`, whose bytes are `data[start, end)`; returns false, adding nothing, when
   * it would pass the budget and the chunk holds a line already.
   */
  add(line: number, data: Uint8Array, start: number, end: number): boolean {
    // At most: the prefix, 10 digits, a colon, the line, a newline.
    const size = this.prefix.length + 12 + (end - start);
    if (this.used + size > this.buffer.length && !this.grow(this.used + size)) {
      return false;
    }
    const buffer = this.buffer;
    let at = this.used;
    buffer.set(this.prefix, at);
    at = writeDecimal(buffer, at + this.prefix.length, line);
    buffer[at] = COLON;
    at += 1;
    // Lines of code byte by byte: a copy call (and the view it needs) costs more than the bytes it moves.
    if (end - start < BYTE_LOOP_MOST) {
      for (let index = start; index < end; index += 1) {
        buffer[at] = data[index] as number;
        at += 1;
      }
    } else {
      buffer.set(data.subarray(start, end), at);
      at += end - start;
    }
    buffer[at] = NEWLINE;
    this.used = at + 1;
    return true;
  }

  /** Makes room for `needed` bytes; false when that would pass the budget with lines in the chunk. */
  private grow(needed: number): boolean {
    if (needed > this.budget && this.used > 0) {
      return false;
    }
    const grown = Buffer.allocUnsafe(Math.max(needed, Math.min(this.budget, this.buffer.length * 2)));
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
    return true;
  }

  /** The chunk's bytes so far. */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.used);
  }
}

/** Writes `value` (a line number: a positive integer, at most 10 digits) in decimal at `at`; returns where it ends. */
function writeDecimal(buffer: Buffer, at: number, value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) {
    digits += 1;
  }
  let rest = value;
  for (let index = at + digits - 1; index >= at; index -= 1) {
    buffer[index] = ZERO + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + digits;
}

/**
 * `relative(base, join(repo, path))` as bytes; for a name that is not UTF-8 (`raw`, its bytes)
 * worked out on latin1 strings, one character a byte, where `/` and `.` are the bytes they are
 * in UTF-8 (no byte of a multi-byte UTF-8 character is ASCII), so the raw bytes come back unchanged.
 */
export function relativeName(base: string, repo: string, path: string, raw: Buffer | undefined): Buffer {
  if (raw === undefined) {
    return Buffer.from(relative(base, join(repo, path)), 'utf8');
  }
  const latin1 = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
  return Buffer.from(relative(latin1(base), join(latin1(repo), raw.toString('latin1'))), 'latin1');
}
