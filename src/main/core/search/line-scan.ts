import { isAscii } from 'node:buffer';
import { AppError } from '../base/errors';
import type { LineMatcher, LineSink } from './line-matcher';
import { visitNeedleLines, type Needles } from './line-needles';
import { candidateBudgetBytes } from './search-budget';
import type { SearchControl } from './search-control';

const NEWLINE = 10;

/** A query's line matcher and the needles that let most bytes be skipped undecoded. */
export interface Verifier {
  readonly matcher: LineMatcher;
  readonly needles: Needles | null;
  /** false: matching lines come without their ranges (counts, plain listings). */
  readonly ranges?: boolean;
}

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
export function scanDocuments(rows: Iterable<DocumentRow>, verifier: Verifier, sink: LineSink, control: SearchControl, path: () => string): boolean {
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
function scanLines(data: Buffer, firstLine: number, verifier: Verifier, sink: LineSink): boolean {
  const ascii = isAscii(data);
  const ranges = verifier.ranges !== false;
  if (verifier.needles === null) {
    return verifier.matcher.scan(data.toString(ascii ? 'latin1' : 'utf8'), firstLine, sink, ascii, ranges);
  }
  return visitNeedleLines(data, firstLine, verifier.needles, (text, line) => verifier.matcher.scan(text, line, sink, ascii, ranges));
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
