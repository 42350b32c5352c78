/**
 * A full listing's unit: the next run of matching lines already written as output text (a
 * plain `path:line:text` line, a JSON line of the CLI, or the streamed route's NDJSON match),
 * instead of a page of match objects. Profiled on a `\w+` listing of 2 M lines, the match
 * objects, their ranges (tens of millions of small arrays and regex match objects), the
 * per-page set-up of 1,000-line pages and the formatting of each object after the thread hop
 * took most of the time; a chunk is formatted where the lines are found, as one string, and
 * a plain listing never computes ranges at all.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SearchMatch, SearchTotal } from '../../../shared/types';
import { AppError } from '../base/errors';
import type { Range } from './line-matcher';
import type { LineBytes } from './line-scan';
import { scanPlan } from './plan-scan';
import { PlainLines, relativeName } from './plain-lines';
import { RawFileLines } from './raw-lines';
import { pathBytesField } from './path-bytes';
import { fileNameBytes, lineCursor, lineScan, pageCounter, pageTotal, search, type SearchArgs } from './search';
import { MAX_PAGE_MATCHES, pageBudgetBytes } from './search-budget';
import { unbounded, type SearchControl } from './search-control';

type Database = BetterSqlite3.Database;

/**
 * Most characters of one chunk, below the page budget: a chunk and the strings it is built of
 * must die in V8's young generation. With 1.5 M-character chunks (the default page budget) most
 * survived a scavenge and GC took 16 of 41 s of a `\w+ --json` listing. A plain chunk holds as
 * many bytes.
 */
const CHUNK_CHARS = 128 * 1024;

/**
 * How each line is written: `plain` is `path:line:text` with the path relative to `base`
 * (the CLI's working folder), in bytes as rg writes them (raw names and lines); `json` is the
 * CLI's `{"path","line","text","ranges"}` (with `"pathBytes"` after the path when the name is
 * not UTF-8); `match` is a whole SearchMatch as JSON.stringify writes it (the streamed route's NDJSON).
 */
export type ListingFormat = { readonly kind: 'plain'; readonly base: string } | TextFormat;

/** The formats written as text (JSON lines). */
export type TextFormat = { readonly kind: 'json' } | { readonly kind: 'match' };

export interface ListingArgs extends Omit<SearchArgs, 'limit'> {
  readonly format: ListingFormat;
  /** Most lines in this chunk (at least 1); the chunk also ends at the page byte budget. */
  readonly limit: number;
  /**
   * Only the plan's files [from, until) (a lane's block, search/listing-lanes.ts): the chunk
   * starts at `from` without a cursor, and has no `nextCursor` once `until` is reached.
   */
  readonly files?: FileSpan;
}

/** Plan indexes [from, until). */
export interface FileSpan {
  readonly from: number;
  readonly until: number;
}

/** What a lane checks its plan against the other lane's with: its length and a hash of its files. */
export interface PlanShape {
  readonly files: number;
  readonly fingerprint: number;
}

export interface ListingChunk {
  /** The chunk's lines, each ending in a newline: text in JSON formats, bytes in `plain`. */
  readonly output: string | Uint8Array;
  readonly lines: number;
  readonly total: SearchTotal;
  /** Where the next chunk starts; absent after the last. */
  readonly nextCursor?: string;
  /** The plan's shape, when `files` was asked for. */
  readonly plan?: PlanShape;
}

/** Writes one file's matching lines; made again for each file, so its path is encoded once. */
type LineFormat = (line: number, text: string, ranges: readonly Range[]) => string;

/** The file whose lines a writer is given next; what is read from the index or disk only when the format needs it. */
interface ListedFile {
  readonly path: string;
  readonly repo: string;
  /** Its raw name when not UTF-8. */
  readonly pathBytes: () => Buffer | undefined;
  /** Its lines' bytes on disk, for lines whose indexed text shows U+FFFD; null when not to be had. */
  readonly rawLines: () => RawFileLines | null;
  readonly score?: SearchMatch['score'];
}

/** Gathers a chunk's lines in one format. */
interface ChunkWriter {
  /** The lines added next are of this file. */
  file(file: ListedFile): void;
  /** Adds a line; false, adding nothing, when it would pass the budget and the chunk holds a line already. */
  add(line: number, text: string, ranges: readonly Range[], bytes: LineBytes | undefined): boolean;
  output(): string | Uint8Array;
}

/**
 * The next chunk of a listing from `args.cursor`: lines in search order, as many as fit
 * `args.limit` and the page byte budget (text counted as heap, two bytes a character),
 * at least one so the cursor moves on. Words mode writes one ranked page per chunk.
 */
export function listingChunk(db: Database, args: ListingArgs, control: SearchControl = unbounded): ListingChunk {
  if (!Number.isInteger(args.limit) || args.limit < 1) {
    throw new AppError('bad_request', 'A listing chunk holds at least one line');
  }
  if (args.mode === 'words') {
    return wordsChunk(db, args, control);
  }
  const writer = chunkWriter(args.format, Math.min(pageBudgetBytes() / 2, CHUNK_CHARS));
  const { scan, state, start: cursorStart, snapshot, key } = lineScan(db, args, control);
  const span = args.files;
  const start = span === undefined || args.cursor !== undefined ? cursorStart : { index: span.from, afterLine: 0 };
  const counter = pageCounter(state, start);
  // A span ends after its last file: the scan stops there as it would at the plan's end.
  const fileDone = span === undefined ? counter : (index: number, found: number) => (counter?.(index, found) ?? true) && index + 1 < span.until;
  const plain = args.format.kind === 'plain';
  let lines = 0;
  let more = false;
  // The last line written (plan index and line): numbers, not an object per line of a listing.
  let lastIndex = -1;
  let lastLine = 0;
  let file = -1;
  scanPlan(
    { ...scan, verifier: { ...scan.verifier, ranges: !plain, lineBytes: plain } },
    start,
    (index, line, text, ranges, bytes) => {
      if (lines >= args.limit) {
        more = true;
        return false;
      }
      if (index !== file) {
        file = index;
        const fileId = state.plan.files[index] as number;
        const repo = snapshot.repositories.get(snapshot.repoOf[fileId] as number) ?? '';
        const path = scan.statements.path.get(fileId) as string;
        const pathBytes = () => fileNameBytes(db, fileId);
        writer.file({ path, repo, pathBytes, rawLines: () => RawFileLines.read(db, fileId, repo, pathBytes() ?? path) });
      }
      if (!writer.add(line, text, ranges, bytes)) {
        more = true;
        return false;
      }
      lines += 1;
      lastIndex = index;
      lastLine = line;
      return true;
    },
    fileDone,
  );
  return {
    output: writer.output(),
    lines,
    total: pageTotal(scan, state, args.totals, control),
    ...(more && lastIndex >= 0 ? { nextCursor: lineCursor(key, state, { index: lastIndex, line: lastLine }) } : {}),
    ...(span === undefined ? {} : { plan: planShape(state.plan.files) }),
  };
}

const shapes = new WeakMap<Int32Array, PlanShape>();

/** The plan's length and FNV-1a hash of its file ids, computed once per plan. */
function planShape(files: Int32Array): PlanShape {
  let shape = shapes.get(files);
  if (shape === undefined) {
    let hash = 0x811c9dc5;
    for (const file of files) {
      hash = Math.imul(hash ^ file, 0x01000193);
    }
    shape = { files: files.length, fingerprint: hash >>> 0 };
    shapes.set(files, shape);
  }
  return shape;
}

function wordsChunk(db: Database, args: ListingArgs, control: SearchControl): ListingChunk {
  const { format, limit, ...query } = args;
  const page = search(db, { ...query, limit: Math.min(limit, MAX_PAGE_MATCHES) }, control);
  // A ranked page of at most 1,000 lines, each with its own score, is the unit: no budget. Plain
  // lines are the page's decoded text (rg has no words mode to match byte for byte).
  const writer = chunkWriter(format, Number.POSITIVE_INFINITY);
  for (const match of page.matches) {
    const bytes = match.pathBytes === undefined ? undefined : Buffer.from(match.pathBytes, 'base64');
    writer.file({ path: match.path, repo: match.repo, pathBytes: () => bytes, rawLines: () => null, score: match.score });
    if (format.kind === 'plain') {
      const data = Buffer.from(match.text, 'utf8');
      writer.add(match.line, match.text, match.ranges, { data, start: 0, end: data.length, lossy: false });
    } else {
      writer.add(match.line, match.text, match.ranges, undefined);
    }
  }
  return { output: writer.output(), lines: page.matches.length, total: page.total, ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) };
}

function chunkWriter(format: ListingFormat, budget: number): ChunkWriter {
  return format.kind === 'plain' ? plainWriter(format.base, budget) : textWriter(format, budget);
}

/** Plain lines in bytes: the name relative to `base` (raw when not UTF-8), each line's bytes as the file has them. */
function plainWriter(base: string, budget: number): ChunkWriter {
  const lines = new PlainLines(budget);
  let listed: ListedFile | undefined;
  // The file's bytes, read at its first line showing U+FFFD (undefined: not yet).
  let raw: RawFileLines | null | undefined;
  return {
    file(file) {
      listed = file;
      raw = undefined;
      // Only a name decoded with U+FFFD can have raw bytes of its own.
      lines.file(relativeName(base, file.repo, file.path, file.path.includes('\uFFFD') ? file.pathBytes() : undefined));
    },
    add(line, text, _ranges, bytes) {
      const { data, start, end, lossy } = bytes as LineBytes;
      if (lossy && text.includes('\uFFFD')) {
        raw ??= (listed as ListedFile).rawLines();
        const found = raw?.bytesOf(line, text) ?? null;
        if (found !== null) {
          return lines.add(line, found, 0, found.length);
        }
      }
      return lines.add(line, data, start, end);
    },
    output: () => lines.bytes(),
  };
}

function textWriter(format: TextFormat, budgetChars: number): ChunkWriter {
  const parts: string[] = [];
  let chars = 0;
  let write: LineFormat = () => '';
  return {
    file(file) {
      write = lineFormat(format, file.path, file.repo, file.score, pathBytesField(file.pathBytes()).pathBytes);
    },
    add(line, text, ranges) {
      const written = write(line, text, ranges);
      if (parts.length > 0 && chars + written.length > budgetChars) {
        return false;
      }
      parts.push(written);
      chars += written.length;
      return true;
    },
    output: () => parts.join(''),
  };
}

/** How one file's lines are written in `format` (exported for the format tests); `pathBytes` (base64) when the name is not UTF-8. */
export function lineFormat(format: TextFormat, path: string, repo: string, score: SearchMatch['score'] = null, pathBytes?: string): LineFormat {
  switch (format.kind) {
    case 'json': {
      const prefix = `{"path":${JSON.stringify(path)}${pathBytes === undefined ? '' : `,"pathBytes":${JSON.stringify(pathBytes)}`},"line":`;
      return (line, text, ranges) => `${prefix}${line},"text":${JSON.stringify(text)},"ranges":${rangesJson(ranges)}}\n`;
    }
    case 'match': {
      const bytes = pathBytes === undefined ? '' : `,"pathBytes":${JSON.stringify(pathBytes)}`;
      const prefix = `{"path":${JSON.stringify(path)},"repo":${JSON.stringify(repo)}${bytes},"line":`;
      const suffix = `,"score":${JSON.stringify(score)}}\n`;
      return (line, text, ranges) => `${prefix}${line},"text":${JSON.stringify(text)},"ranges":${rangesJson(ranges)}${suffix}`;
    }
  }
}

/** `[[s,e],…]` as JSON.stringify writes it, without an array per range's text. */
function rangesJson(ranges: readonly Range[]): string {
  let text = '[';
  for (let index = 0; index < ranges.length; index += 1) {
    const range = ranges[index] as Range;
    text += index === 0 ? `[${range[0]},${range[1]}]` : `,[${range[0]},${range[1]}]`;
  }
  return `${text}]`;
}
