import { resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { SearchMatch, SearchMode, SearchPage, SearchTotal } from '../../../shared/types';
import { AppError } from '../base/errors';
import { indexSnapshot, type IndexSnapshot } from './index-snapshot';
import { createMatcher } from './line-matcher';
import { lineNeedles } from './line-needles';
import { applyQueryFilters, type PathFilter } from './path-filter';
import type { Verifier } from './line-scan';
import { pathBytesField } from './path-bytes';
import { planIndexOf, scanPlan, type FileDone, type PlanScan, type ScanStart, type ScanStatements } from './plan-scan';
import { queryCandidates } from './query-candidates';
import { QueryCache } from './query-cache';
import { documentStatements, unitPlan, wholeFiles, type ReadPlan } from './read-plan';
import { DEFAULT_PAGE_MATCHES, MATCH_HEAP_BYTES, MAX_PAGE_MATCHES, PAGE_COUNT_BUDGET_MS, pageBudgetBytes, RANGE_HEAP_BYTES } from './search-budget';
import { unbounded, type SearchControl } from './search-control';
import { decodeCursor, encodeCursor, invalidCursor, type CursorPosition } from './search-cursor';
import { wordsSearch } from './words';

type Database = BetterSqlite3.Database;

/** What to look for: the same for a page and for a count. */
export interface SearchQuery {
  readonly query: string;
  readonly mode: SearchMode;
  readonly ignoreCase?: boolean | undefined;
  /** Absolute root of one repository; all repositories when absent. */
  readonly repo?: string | undefined;
}

export interface SearchArgs extends SearchQuery {
  /** Matches per page, 1 to MAX_PAGE_MATCHES. */
  readonly limit?: number | undefined;
  /** The previous page's nextCursor. */
  readonly cursor?: string | undefined;
  /** false: no counting past the page (PAGE_COUNT_BUDGET_MS); the total is then what is counted so far. */
  readonly totals?: boolean | undefined;
}

/** How far counting has gone: the plan's files before `next` are counted. */
interface CountState {
  next: number;
  matches: number;
  files: number;
}

/** What a connection keeps of one query between its pages: the read plan, its verifier and the count so far. */
export interface QueryState {
  readonly version: number;
  readonly plan: ReadPlan;
  /** Compiled once per query: a full listing asks for thousands of pages of the same query. */
  readonly verifier: Verifier;
  readonly count: CountState;
}

interface ConnectionState {
  readonly cache: QueryCache<QueryState>;
  readonly statements: ScanStatements;
  /** A file's raw name bytes by id (empty when the name is UTF-8). */
  readonly pathBytes: BetterSqlite3.Statement;
}

const connections = new WeakMap<Database, ConnectionState>();

function connectionState(db: Database): ConnectionState {
  let state = connections.get(db);
  if (state === undefined) {
    state = {
      cache: new QueryCache(32),
      statements: {
        // Bytes, not text: the needle prefilter searches them before anything is decoded.
        documents: documentStatements(db, 'first_line, CAST(content AS BLOB)'),
        path: db.prepare('SELECT path FROM files WHERE id = ?').pluck(),
        // A document that starts on a later line than the one before it starts at that line's
        // start (the splitter cuts inside a line only when the line is longer than a document).
        resume: db
          .prepare(
            `SELECT count(*) FROM documents WHERE file_id = @file
               AND first_line < (SELECT max(first_line) FROM documents WHERE file_id = @file AND first_line <= @line)`,
          )
          .pluck(),
      },
      pathBytes: db.prepare('SELECT path_bytes FROM files WHERE id = ?').pluck(),
    };
    connections.set(db, state);
  }
  return state;
}

/** A file's `pathBytes` field: its raw name, base64, when that is not UTF-8; else nothing. */
export function filePathBytes(db: Database, fileId: number): { readonly pathBytes?: string } {
  return pathBytesField(fileNameBytes(db, fileId));
}

/** A file's raw name (relative to its repository) when it is not UTF-8; else undefined. */
export function fileNameBytes(db: Database, fileId: number): Buffer | undefined {
  const bytes = connectionState(db).pathBytes.get(fileId) as Buffer | null;
  return bytes === null || bytes.length === 0 ? undefined : bytes;
}

/** Queries whose plan a connection keeps (tests, to see the cache drop). */
export function cachedQueries(db: Database): number {
  return connections.get(db)?.cache.size ?? 0;
}

/** Empties a connection's query cache (the pool calls it on memory pressure). */
export function clearSearchCache(db: Database): void {
  connections.get(db)?.cache.clear();
}

/**
 * One page of a search. Literal and regex results are whole lines, sorted by repository,
 * path and line, and equal ripgrep's; words mode ranks documents by BM25. Lines are produced
 * one at a time from the candidate units and the scan stops as soon as the page is full, so
 * memory holds one page whatever the result size; `nextCursor` resumes after the page's last
 * line. `total` is exact once counting reached the end, else "at least" (see countMatches).
 */
export function search(db: Database, typed: SearchArgs, control: SearchControl = unbounded): SearchPage {
  const started = performance.now();
  const limit = pageLimit(typed.limit);
  const snapshot = indexSnapshot(db);
  const { args, paths } = applyQueryFilters(typed, snapshot.repositories);
  const repoId = resolveRepository(snapshot, args.repo);
  const key = queryKey(args, repoId, paths);
  const position = args.cursor === undefined ? undefined : decodeCursor(key, args.cursor);
  if (args.mode === 'words') {
    const offset = position === undefined ? 0 : rankOf(position);
    const page = wordsSearch(db, snapshot, { query: args.query, repoId, limit, offset }, control);
    return {
      matches: page.matches,
      total: { matches: page.total, files: page.files, exact: true },
      ...(page.nextOffset === undefined ? {} : { nextCursor: encodeCursor(key, { kind: 'rank', offset: page.nextOffset }) }),
      elapsedMs: elapsed(started),
    };
  }
  const { scan, state, start } = openLineScan(db, snapshot, args, repoId, paths, key, position, control);
  const matches: SearchMatch[] = [];
  const pageBytes = pageBudgetBytes();
  let bytes = 0;
  let more = false;
  let last: { index: number; line: number } | undefined;
  let path: { index: number; path: string; repo: string; pathBytes?: string } | undefined;
  scanPlan(
    scan,
    start,
    (index, line, text, ranges) => {
      const cost = MATCH_HEAP_BYTES + text.length * 2 + ranges.length * RANGE_HEAP_BYTES;
      // A page holds at least one line, so a cursor always moves on.
      if (matches.length >= limit || (matches.length > 0 && bytes + cost > pageBytes)) {
        more = true;
        return false;
      }
      if (path?.index !== index) {
        const fileId = state.plan.files[index] as number;
        const repo = snapshot.repositories.get(snapshot.repoOf[fileId] as number) ?? '';
        path = { index, path: scan.statements.path.get(fileId) as string, repo, ...filePathBytes(db, fileId) };
      }
      matches.push({ path: path.path, repo: path.repo, ...(path.pathBytes === undefined ? {} : { pathBytes: path.pathBytes }), line, text, ranges, score: null });
      bytes += cost;
      last = { index, line };
      return true;
    },
    pageCounter(state, start),
  );
  return {
    matches,
    total: pageTotal(scan, state, args.totals, control),
    ...(more && last !== undefined ? { nextCursor: lineCursor(key, state, last) } : {}),
    elapsedMs: elapsed(started),
  };
}

/** A literal or regex query's scan, from the start or from a cursor's position. */
export interface LineScan {
  readonly scan: PlanScan;
  readonly state: QueryState;
  readonly start: ScanStart;
  readonly snapshot: IndexSnapshot;
  /** The query's key, which its cursors carry. */
  readonly key: string;
}

/**
 * Opens the scan of a literal or regex query for one page from `typed.cursor`: what a page of
 * matches and a chunk of listing text (search/listing-chunk.ts) share. Words mode has no scan.
 */
export function lineScan(db: Database, typed: SearchArgs, control: SearchControl): LineScan {
  const snapshot = indexSnapshot(db);
  const { args, paths } = applyQueryFilters(typed, snapshot.repositories);
  const repoId = resolveRepository(snapshot, args.repo);
  const key = queryKey(args, repoId, paths);
  const position = args.cursor === undefined ? undefined : decodeCursor(key, args.cursor);
  return { ...openLineScan(db, snapshot, args, repoId, paths, key, position, control), snapshot, key };
}

/** The cursor after the line `last` (the plan's file index and line). */
export function lineCursor(key: string, state: QueryState, last: { readonly index: number; readonly line: number }): string {
  return encodeCursor(key, { kind: 'line', file: state.plan.files[last.index] as number, line: last.line });
}

/** What counts the files a page reads to their end, when the page starts where counting stopped. */
export function pageCounter(state: QueryState, start: ScanStart): FileDone | undefined {
  const counts = start.afterLine === 0 && state.count.next === start.index;
  return counts ? (index, found) => advanceCount(state.count, index, found) : undefined;
}

/** The total a page reports: counted on for PAGE_COUNT_BUDGET_MS, or what is counted so far with `totals: false`. */
export function pageTotal(scan: PlanScan, state: QueryState, totals: boolean | undefined, control: SearchControl): SearchTotal {
  const countUntil = totals === false ? Number.NEGATIVE_INFINITY : Math.min(control.now() + PAGE_COUNT_BUDGET_MS, control.deadline);
  return countOn(scan, state.count, countUntil);
}

function openLineScan(
  db: Database,
  snapshot: IndexSnapshot,
  args: SearchQuery,
  repoId: number | null,
  paths: PathFilter,
  key: string,
  position: CursorPosition | undefined,
  control: SearchControl,
): { scan: PlanScan; state: QueryState; start: ScanStart } {
  const { scan, state } = prepareScan(db, snapshot, args, repoId, paths, key, control);
  return { scan, state, start: position === undefined ? { index: 0, afterLine: 0 } : lineStart(snapshot, state.plan, position) };
}

/**
 * The query's total matches and files, counted on from where its pages' counting stopped,
 * until the end or the control's deadline: exact, or "at least" when the budget ran out.
 */
export function countMatches(db: Database, typed: SearchQuery, control: SearchControl = unbounded): SearchTotal {
  const snapshot = indexSnapshot(db);
  const { args, paths } = applyQueryFilters(typed, snapshot.repositories);
  const repoId = resolveRepository(snapshot, args.repo);
  if (args.mode === 'words') {
    const page = wordsSearch(db, snapshot, { query: args.query, repoId, limit: 1, offset: 0 }, control);
    return { matches: page.total, files: page.files, exact: true };
  }
  const { scan, state } = prepareScan(db, snapshot, args, repoId, paths, queryKey(args, repoId, paths), control);
  return countOn(scan, state.count, control.deadline);
}

function pageLimit(limit: number | undefined): number {
  const value = limit ?? DEFAULT_PAGE_MATCHES;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_MATCHES) {
    throw new AppError('bad_request', `A search page holds 1 to ${MAX_PAGE_MATCHES} matches; follow nextCursor for more`);
  }
  return value;
}

function queryKey(args: SearchQuery, repoId: number | null, paths: PathFilter): string {
  return `${args.mode}\u0000${args.ignoreCase === true}\u0000${repoId ?? ''}\u0000${paths.key}\u0000${args.query}`;
}

/** The query's cached plan and count (computed on first use), and the scan that reads it. */
function prepareScan(db: Database, snapshot: IndexSnapshot, args: SearchQuery, repoId: number | null, paths: PathFilter, key: string, control: SearchControl): { scan: PlanScan; state: QueryState } {
  const ignoreCase = args.ignoreCase === true;
  const connection = connectionState(db);
  let state = connection.cache.get(key, snapshot.version);
  if (state === undefined) {
    const matcher = createMatcher(args.mode === 'regex' ? 'regex' : 'literal', args.query, ignoreCase);
    const units = queryCandidates(db, snapshot, matcher.query, ignoreCase, repoId);
    const plan = paths.keep(db, units === null ? wholeFiles(filesInScope(snapshot, repoId)) : unitPlan(snapshot, units));
    state = { version: snapshot.version, plan, verifier: { matcher, needles: lineNeedles(matcher.query, ignoreCase) }, count: { next: 0, matches: 0, files: 0 } };
    connection.cache.set(key, state);
  }
  const scan: PlanScan = { statements: connection.statements, snapshot, plan: state.plan, verifier: state.verifier, control };
  return { scan, state };
}

function advanceCount(count: CountState, index: number, found: number): boolean {
  if (count.next === index) {
    count.next = index + 1;
    count.matches += found;
    count.files += found > 0 ? 1 : 0;
  }
  return true;
}

/**
 * Counts whole files on from the count's frontier until the plan's end or `until` (on the
 * control's clock). A deadline reached inside a file leaves that file uncounted.
 */
function countOn(scan: PlanScan, count: CountState, until: number): SearchTotal {
  if (count.next < scan.plan.files.length && scan.control.now() < until) {
    try {
      // Counting needs the lines, not their ranges.
      scanPlan(
        { ...scan, verifier: { ...scan.verifier, ranges: false } },
        { index: count.next, afterLine: 0 },
        () => true,
        (index, found) => advanceCount(count, index, found) && scan.control.now() < until,
      );
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'timeout')) {
        throw error;
      }
    }
  }
  return { matches: count.matches, files: count.files, exact: count.next >= scan.plan.files.length };
}

function lineStart(snapshot: IndexSnapshot, plan: ReadPlan, position: CursorPosition): ScanStart {
  if (position.kind !== 'line') {
    throw invalidCursor();
  }
  const index = planIndexOf(snapshot, plan, position.file);
  if (index < 0) {
    throw new AppError('bad_request', 'The index changed since the previous page; run the search again');
  }
  return { index, afterLine: plan.files[index] === position.file ? position.line : 0 };
}

function rankOf(position: CursorPosition): number {
  if (position.kind !== 'rank') {
    throw invalidCursor();
  }
  return position.offset;
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
