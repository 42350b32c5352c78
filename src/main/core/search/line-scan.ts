import { isAscii } from 'node:buffer';
import { AppError } from '../base/errors';
import type { LineMatcher, LineSink, Range } from './line-matcher';
import { visitNeedleLines, type Needles } from './line-needles';
import { candidateBudgetBytes } from './search-budget';
import type { SearchControl } from './search-control';

const NEWLINE = 10;
const REPLACEMENT = Buffer.from('\uFFFD', 'utf8');

/** A query's line matcher and the needles that let most bytes be skipped undecoded. */
export interface Verifier {
  readonly matcher: LineMatcher;
  readonly needles: Needles | null;
  /** false: matching lines come without their ranges (counts, plain listings). */
  readonly ranges?: boolean;
  /** true: each matching line comes with its raw bytes (plain listings write them as rg does). */
  readonly lineBytes?: boolean;
}

/**
 * Where a matching line's raw bytes are: `data[start, end)`, without the newline. Line k of a
 * decoded text is line k of its bytes (UTF-8's replacement never absorbs 0x0A), so the scan
 * finds them by counting newlines. One object per scan, updated for each line: valid only
 * during the sink's call.
 */
export interface LineBytes {
  data: Buffer;
  start: number;
  end: number;
  /** Whether `data` holds U+FFFD anywhere: only then may a line's indexed text differ from the file's bytes. */
  lossy: boolean;
}

/** Receives one matching line, with its bytes when the verifier asks for them; returns false to stop. */
export type ScanSink = (line: number, text: string, ranges: Range[], bytes?: LineBytes) => boolean;

/** A document as the scan reads it: its first line number and its UTF-8 bytes. */
export type DocumentRow = [firstLine: number, content: Buffer];

/** True when a document ends at a line end (the read plan needs to know where units end). */
export function endsLine(row: DocumentRow): boolean {
  return row[1][row[1].length - 1] === NEWLINE;
}

/**
 * Runs the matcher over a file's documents, in order: each is completed with the unfinished
 * last line of the previous one, so lines longer than a document are matched whole (within
 * candidateBudgetBytes()). `control` is polled before each document. Returns false when
 * the sink stopped early.
 */
export function scanDocuments(rows: Iterable<DocumentRow>, verifier: Verifier, sink: ScanSink, control: SearchControl, path: () => string): boolean {
  // Pieces of a line longer than a document, joined once its end arrives.
  const carry: Buffer[] = [];
  let carried = 0;
  // The line the carried bytes start on; -1 while only the next document's first line tells it.
  let carryLine = 1;
  let lastData: Buffer | null = null;
  let lastStart = 1;
  const budget = candidateBudgetBytes();
  for (const [firstLine, content] of rows) {
    control.check();
    const startLine = carry.length > 0 && carryLine !== -1 ? carryLine : firstLine;
    if (carried + content.length > budget) {
      throw new AppError('unsupported', `A line of ${path()} is longer than the ${describeBytes(budget)} a search holds at once (MEMORY_THRESHOLD_MB / 8)`);
    }
    const newline = content.lastIndexOf(NEWLINE);
    if (newline === -1) {
      if (carry.length === 0) {
        carryLine = startLine;
      }
      carry.push(content);
      carried += content.length;
      continue;
    }
    const data = carry.length > 0 ? Buffer.concat([...carry, content]) : content;
    const lastNewline = data.length - content.length + newline;
    if (!scanLines(data.subarray(0, lastNewline), startLine, verifier, sink)) {
      return false;
    }
    carry.length = 0;
    carried = 0;
    if (lastNewline + 1 < data.length) {
      const rest = data.subarray(lastNewline + 1);
      carry.push(rest);
      carried = rest.length;
      carryLine = -1;
    }
    lastData = data;
    lastStart = startLine;
  }
  if (carry.length === 0) {
    return true;
  }
  if (carryLine === -1 && lastData !== null) {
    carryLine = lastStart + countByte(lastData, NEWLINE);
  }
  return scanLines(Buffer.concat(carry), carryLine, verifier, sink);
}

/** Matches whole lines of UTF-8 bytes: only lines holding a needle when there are needles. */
function scanLines(data: Buffer, firstLine: number, verifier: Verifier, sink: ScanSink): boolean {
  const ascii = isAscii(data);
  const ranges = verifier.ranges !== false;
  const { matcher, needles } = verifier;
  if (needles === null) {
    const text = data.toString(ascii ? 'latin1' : 'utf8');
    return matcher.scan(text, firstLine, verifier.lineBytes === true ? countingSink(data, ascii, firstLine, sink) : sink, ascii, ranges);
  }
  if (verifier.lineBytes !== true) {
    return visitNeedleLines(data, firstLine, needles, (text, line) => matcher.scan(text, line, sink, ascii, ranges));
  }
  // The needle scan knows each visited line's bytes: one line per matcher call.
  const bytes: LineBytes = { data, start: 0, end: 0, lossy: holdsReplacement(data, ascii) };
  const withBytes: LineSink = (line, text, found) => sink(line, text, found, bytes);
  return visitNeedleLines(data, firstLine, needles, (text, line, start, end) => {
    bytes.start = start;
    bytes.end = end;
    return matcher.scan(text, line, withBytes, ascii, ranges);
  });
}

/**
 * Hands each matching line of `data` on with its bytes, walking the newlines forward (lines come
 * in order). In ASCII data a line's text is as long as its bytes, so the line right after a
 * match (most of a `\w+` listing) needs no search at all.
 */
function countingSink(data: Buffer, ascii: boolean, firstLine: number, sink: ScanSink): LineSink {
  const bytes: LineBytes = { data, start: 0, end: 0, lossy: holdsReplacement(data, ascii) };
  // The next line not yet handed on, and where it starts.
  let line = firstLine;
  let start = 0;
  return (found, text, ranges) => {
    while (line < found) {
      start = data.indexOf(NEWLINE, start) + 1;
      line += 1;
    }
    const end = ascii ? start + text.length : lineEnd(data, start);
    bytes.start = start;
    bytes.end = end;
    line = found + 1;
    start = end + 1;
    return sink(found, text, ranges, bytes);
  };
}

function holdsReplacement(data: Buffer, ascii: boolean): boolean {
  return !ascii && data.indexOf(REPLACEMENT) !== -1;
}

function lineEnd(data: Buffer, start: number): number {
  const end = data.indexOf(NEWLINE, start);
  return end === -1 ? data.length : end;
}

function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

function countByte(data: Buffer, byte: number): number {
  let count = 0;
  for (let index = data.indexOf(byte); index !== -1; index = data.indexOf(byte, index + 1)) {
    count += 1;
  }
  return count;
}
