/**
 * A full listing's unit: the next run of matching lines already written as output text (a
 * plain `path:line:text` line, a JSON line of the CLI, or the streamed route's NDJSON match),
 * instead of a page of match objects. Profiled on a `\w+` listing of 2 M lines, the match
 * objects, their ranges (tens of millions of small arrays and regex match objects), the
 * per-page set-up of 1,000-line pages and the formatting of each object after the thread hop
 * took most of the time; a chunk is formatted where the lines are found, as one string, and
 * a plain listing never computes ranges at all.
 */
import { join, relative } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { SearchMatch, SearchTotal } from '../../../shared/types';
import { AppError } from '../base/errors';
import type { Range } from './line-matcher';
import { scanPlan } from './plan-scan';
import { filePathBytes, lineCursor, lineScan, pageCounter, pageTotal, search, type SearchArgs } from './search';
import { MAX_PAGE_MATCHES, pageBudgetBytes } from './search-budget';
import { unbounded, type SearchControl } from './search-control';

type Database = BetterSqlite3.Database;

/**
 * Most characters of one chunk, below the page budget: a chunk and the strings it is built of
 * must die in V8's young generation. With 1.5 M-character chunks (the default page budget) most
 * survived a scavenge and GC took 16 of 41 s of a `\w+ --json` listing.
 */
const CHUNK_CHARS = 128 * 1024;

/**
 * How each line is written: `plain` is `path:line:text` with the path relative to `base`
 * (the CLI's working folder); `json` is the CLI's `{"path","line","text","ranges"}` (with
 * `"pathBytes"` after the path when the name is not UTF-8); `match`
 * is a whole SearchMatch as JSON.stringify writes it (the streamed route's NDJSON).
 */
export type ListingFormat = { readonly kind: 'plain'; readonly base: string } | { readonly kind: 'json' } | { readonly kind: 'match' };

export interface ListingArgs extends Omit<SearchArgs, 'limit'> {
  readonly format: ListingFormat;
  /** Most lines in this chunk (at least 1); the chunk also ends at the page byte budget. */
  readonly limit: number;
}

export interface ListingChunk {
  /** The chunk's lines, each ending in a newline. */
  readonly text: string;
  readonly lines: number;
  readonly total: SearchTotal;
  /** Where the next chunk starts; absent after the last. */
  readonly nextCursor?: string;
}

/** Writes one file's matching lines; made again for each file, so its path is encoded once. */
type LineFormat = (line: number, text: string, ranges: readonly Range[]) => string;

/**
 * The next chunk of a listing from `args.cursor`: lines in search order, as many as fit
 * `args.limit` and the page byte budget (its text counted as heap, two bytes a character),
 * at least one so the cursor moves on. Words mode writes one ranked page per chunk.
 */
export function listingChunk(db: Database, args: ListingArgs, control: SearchControl = unbounded): ListingChunk {
  if (!Number.isInteger(args.limit) || args.limit < 1) {
    throw new AppError('bad_request', 'A listing chunk holds at least one line');
  }
  if (args.mode === 'words') {
    return wordsChunk(db, args, control);
  }
  const { scan, state, start, snapshot, key } = lineScan(db, args, control);
  const withRanges = args.format.kind !== 'plain';
  const budgetChars = Math.min(pageBudgetBytes() / 2, CHUNK_CHARS);
  const parts: string[] = [];
  let chars = 0;
  let more = false;
  // The last line written (plan index and line): numbers, not an object per line of a listing.
  let lastIndex = -1;
  let lastLine = 0;
  let file = -1;
  let format: LineFormat = () => '';
  scanPlan(
    { ...scan, verifier: { ...scan.verifier, ranges: withRanges } },
    start,
    (index, line, text, ranges) => {
      if (parts.length >= args.limit) {
        more = true;
        return false;
      }
      if (index !== file) {
        file = index;
        const fileId = state.plan.files[index] as number;
        const repo = snapshot.repositories.get(snapshot.repoOf[fileId] as number) ?? '';
        format = lineFormat(args.format, scan.statements.path.get(fileId) as string, repo, null, args.format.kind === 'plain' ? undefined : filePathBytes(db, fileId).pathBytes);
      }
      const written = format(line, text, ranges);
      if (parts.length > 0 && chars + written.length > budgetChars) {
        more = true;
        return false;
      }
      parts.push(written);
      chars += written.length;
      lastIndex = index;
      lastLine = line;
      return true;
    },
    pageCounter(state, start),
  );
  return {
    text: parts.join(''),
    lines: parts.length,
    total: pageTotal(scan, state, args.totals, control),
    ...(more && lastIndex >= 0 ? { nextCursor: lineCursor(key, state, { index: lastIndex, line: lastLine }) } : {}),
  };
}

function wordsChunk(db: Database, args: ListingArgs, control: SearchControl): ListingChunk {
  const { format, limit, ...query } = args;
  const page = search(db, { ...query, limit: Math.min(limit, MAX_PAGE_MATCHES) }, control);
  // A ranked page of at most 1,000 lines, each with its own score: formatted line by line.
  let text = '';
  for (const match of page.matches) {
    text += lineFormat(format, match.path, match.repo, match.score, match.pathBytes)(match.line, match.text, match.ranges);
  }
  return { text, lines: page.matches.length, total: page.total, ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) };
}

/** How one file's lines are written in `format` (exported for the format tests); `pathBytes` in JSON only. */
export function lineFormat(format: ListingFormat, path: string, repo: string, score: SearchMatch['score'] = null, pathBytes?: string): LineFormat {
  switch (format.kind) {
    case 'plain': {
      const prefix = `${relative(format.base, join(repo, path))}:`;
      return (line, text) => `${prefix}${line}:${text}\n`;
    }
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
