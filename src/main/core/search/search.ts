import { isAscii } from 'node:buffer';
import { resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { SearchMatch, SearchMode, SearchPage } from '../../../shared/types';
import { AppError } from '../errors';
import { indexSnapshot, type IndexSnapshot } from './index-snapshot';
import { createMatcher, type LineMatcher, type LineSink } from './line-matcher';
import { lineNeedles, visitNeedleLines, type Needles } from './line-needles';
import { applyQueryFilters } from './path-filter';
import { queryCandidates } from './query-candidates';
import { QueryCache } from './query-cache';
import { documentStatements, plannedDocuments, unitPlan, wholeFiles, type DocumentStatements, type ReadPlan } from './read-plan';
import { wordsSearch } from './words';

type Database = BetterSqlite3.Database;

export interface SearchArgs {
  readonly query: string;
  readonly mode: SearchMode;
  readonly ignoreCase?: boolean | undefined;
  /** Absolute root of one repository; all repositories when absent. */
  readonly repo?: string | undefined;
  /** Lines per page; 0 means no limit. */
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

export const DEFAULT_LIMIT = 100;
const NEWLINE = 10;
const MAX_CHECKPOINTS = 64;
const MAX_PAGES = 4;

interface Checkpoint {
  /** Index into the plan's files of a file whose matches start at `matchesBefore`. */
  readonly index: number;
  readonly matchesBefore: number;
}

interface QueryState {
  readonly version: number;
  readonly plan: ReadPlan;
  readonly checkpoints: Checkpoint[];
  total: number | undefined;
  readonly pages: Map<string, SearchPage>;
}

interface ConnectionState {
  readonly cache: QueryCache<QueryState>;
  readonly documents: DocumentStatements;
  readonly file: BetterSqlite3.Statement;
}

const connections = new WeakMap<Database, ConnectionState>();

function connectionState(db: Database): ConnectionState {
  let state = connections.get(db);
  if (state === undefined) {
    state = {
      cache: new QueryCache(32),
      // Bytes, not text: the needle prefilter searches them before anything is decoded.
      documents: documentStatements(db, 'first_line, CAST(content AS BLOB)'),
      file: db.prepare('SELECT path FROM files WHERE id = ?').pluck(),
    };
    connections.set(db, state);
  }
  return state;
}

/** Empties a connection's query cache (the pool calls it on memory pressure). */
export function clearSearchCache(db: Database): void {
  connections.get(db)?.cache.clear();
}

/**
 * Searches the index. Literal and regex results are whole lines, sorted by repository,
 * path and line, and equal ripgrep's; words mode ranks documents by BM25.
 */
export function search(db: Database, typed: SearchArgs): SearchPage {
  const started = performance.now();
  const snapshot = indexSnapshot(db);
  const { args, paths } = applyQueryFilters(typed, snapshot.repositories);
  const repoId = resolveRepository(snapshot, args.repo);
  const limit = args.limit ?? DEFAULT_LIMIT;
  const offset = args.offset ?? 0;
  const ignoreCase = args.ignoreCase === true;
  if (args.mode === 'words') {
    return { ...wordsSearch(db, snapshot, { query: args.query, repoId, limit, offset }), elapsedMs: elapsed(started) };
  }
  const matcher = createMatcher(args.mode, args.query, ignoreCase);
  const connection = connectionState(db);
  const key = `${args.mode}\u0000${ignoreCase}\u0000${repoId ?? ''}\u0000${paths.key}\u0000${args.query}`;
  let state = connection.cache.get(key, snapshot.version);
  if (state === undefined) {
    const units = queryCandidates(db, snapshot, matcher.query, ignoreCase, repoId);
    const plan = paths.keep(db, units === null ? wholeFiles(filesInScope(snapshot, repoId)) : unitPlan(snapshot, units));
    state = { version: snapshot.version, plan, checkpoints: [{ index: 0, matchesBefore: 0 }], total: undefined, pages: new Map() };
    connection.cache.set(key, state);
  }
  const pageKey = `${offset}:${limit}`;
  const cached = state.pages.get(pageKey);
  if (cached !== undefined) {
    return { ...cached, elapsedMs: elapsed(started) };
  }
  const page = collectPage(connection, snapshot, state, { matcher, needles: lineNeedles(matcher.query, ignoreCase) }, offset, limit);
  if (state.pages.size >= MAX_PAGES) {
    state.pages.delete(state.pages.keys().next().value as string);
  }
  state.pages.set(pageKey, page);
  return { ...page, elapsedMs: elapsed(started) };
}

/** A query's line matcher and the needles that let most bytes be skipped undecoded. */
interface Verifier {
  readonly matcher: LineMatcher;
  readonly needles: Needles | null;
}

function collectPage(connection: ConnectionState, snapshot: IndexSnapshot, state: QueryState, verifier: Verifier, offset: number, limit: number): SearchPage {
  const end = limit === 0 ? Number.POSITIVE_INFINITY : offset + limit;
  let start: Checkpoint = { index: 0, matchesBefore: 0 };
  for (const checkpoint of state.checkpoints) {
    if (checkpoint.matchesBefore <= offset && checkpoint.index >= start.index) {
      start = checkpoint;
    }
  }
  const matches: SearchMatch[] = [];
  let count = start.matchesBefore;
  let more = false;
  const plan = state.plan;
  for (let index = start.index; index < plan.files.length; index += 1) {
    const fileId = plan.files[index] as number;
    const matchesBefore = count;
    let path: string | null = null;
    const repo = snapshot.repositories.get(snapshot.repoOf[fileId] as number) ?? '';
    const documents = plannedDocuments(connection.documents, plan, index, endsLine);
    const finished = scanDocuments(documents, verifier, (line, text, ranges) => {
      if (count >= end) {
        more = true;
        return false;
      }
      if (count >= offset) {
        path ??= connection.file.get(fileId) as string;
        matches.push({ path, repo, line, text, ranges, score: null });
      }
      count += 1;
      return true;
    });
    if (!finished) {
      remember(state, { index, matchesBefore });
      break;
    }
  }
  if (!more) {
    state.total = count;
  }
  const page: SearchPage = {
    matches,
    ...(state.total === undefined ? {} : { total: state.total }),
    ...(more ? { nextOffset: end } : {}),
    elapsedMs: 0,
  };
  return page;
}

function remember(state: QueryState, checkpoint: Checkpoint): void {
  if (state.checkpoints.some((known) => known.index === checkpoint.index)) {
    return;
  }
  state.checkpoints.push(checkpoint);
  if (state.checkpoints.length > MAX_CHECKPOINTS) {
    state.checkpoints.splice(1, 1);
  }
}

type DocumentRow = [firstLine: number, content: Buffer];

function endsLine(row: DocumentRow): boolean {
  return row[1][row[1].length - 1] === NEWLINE;
}

/**
 * Runs the matcher over a file's documents, in order: each is completed with the unfinished
 * last line of the previous one, so lines longer than a document are matched whole. Returns
 * false when the sink stopped early.
 */
function scanDocuments(rows: Iterable<DocumentRow>, verifier: Verifier, sink: LineSink): boolean {
  // Pieces of a line longer than a document, joined once its end arrives.
  const carry: Buffer[] = [];
  // The line the carried bytes start on; -1 while only the next document's first line tells it.
  let carryLine = 1;
  let lastData: Buffer | null = null;
  let lastStart = 1;
  for (const [firstLine, content] of rows) {
    const startLine = carry.length > 0 && carryLine !== -1 ? carryLine : firstLine;
    const newline = content.lastIndexOf(NEWLINE);
    if (newline === -1) {
      if (carry.length === 0) {
        carryLine = startLine;
      }
      carry.push(content);
      continue;
    }
    const data = carry.length > 0 ? Buffer.concat([...carry, content]) : content;
    const lastNewline = data.length - content.length + newline;
    if (!scanLines(data.subarray(0, lastNewline), startLine, verifier, sink)) {
      return false;
    }
    carry.length = 0;
    if (lastNewline + 1 < data.length) {
      carry.push(data.subarray(lastNewline + 1));
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
  if (verifier.needles === null) {
    return verifier.matcher.scan(data.toString('utf8'), firstLine, sink, ascii);
  }
  return visitNeedleLines(data, firstLine, verifier.needles, (text, line) => verifier.matcher.scan(text, line, sink, ascii));
}

function countByte(data: Buffer, byte: number): number {
  let count = 0;
  for (let index = data.indexOf(byte); index !== -1; index = data.indexOf(byte, index + 1)) {
    count += 1;
  }
  return count;
}

function filesInScope(snapshot: IndexSnapshot, repoId: number | null): Int32Array {
  if (repoId === null) {
    return snapshot.ordered;
  }
  return snapshot.ordered.filter((id) => snapshot.repoOf[id] === repoId);
}

/** The id of the repository rooted at `root`, or null for all; unknown roots are an error. */
export function resolveRepository(snapshot: IndexSnapshot, root: string | undefined): number | null {
  if (root === undefined) {
    return null;
  }
  const wanted = resolve(root);
  for (const [id, known] of snapshot.repositories) {
    if (known === wanted) {
      return id;
    }
  }
  throw new AppError('not_found', `Repository not indexed: ${wanted}`);
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
