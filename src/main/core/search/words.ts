import type BetterSqlite3 from 'better-sqlite3';
import type { SearchMatch } from '../../../shared/types';
import { WORDS_TABLE, wordsMatchExpression } from '../index/words-index';
import type { IndexSnapshot } from './index-snapshot';
import { escapeRegex } from './line-matcher';
import { pathBytesField } from './path-bytes';
import { unbounded, type SearchControl } from './search-control';

type Database = BetterSqlite3.Database;

const WORD = /[\p{L}\p{N}_]+/gu;
/** Ranked rows read between two polls of the search's deadline and cancel flag. */
const ROWS_PER_POLL = 256;

export interface WordsArgs {
  readonly query: string;
  readonly repoId: number | null;
  /** Documents in the page, 1 to MAX_PAGE_MATCHES (search.ts checks it): a page never describes every hit. */
  readonly limit: number;
  readonly offset: number;
}

/** One page of ranked documents, with how many documents and files match in all. */
export interface WordsPage {
  readonly matches: SearchMatch[];
  readonly total: number;
  readonly files: number;
  readonly nextOffset?: number;
}

interface Scored {
  readonly documentId: number;
  readonly fileId: number;
  readonly score: number;
}

/** A file that may hold documents of the page: its best score and its best documents so far. */
interface PageFile {
  readonly fileId: number;
  readonly best: number;
  readonly documents: Scored[];
}

type RankedRow = [documentId: number, fileId: number, rank: number];

const statements = new WeakMap<Database, { ranked: BetterSqlite3.Statement<[string], RankedRow>; hit: BetterSqlite3.Statement<[number], HitRow> }>();

/**
 * Ranked word search on the FTS5 index (index/words-index.ts): every document holding any query
 * word (case-insensitive, whole words), scored by FTS5's bm25(), grouped by file (files ranked
 * by their best document, each file's documents together, best first). Documents of files not
 * in the snapshot (still being written) are left out. The control is polled as rows are read.
 *
 * Top-k: FTS5 hands the rows best first, so a file's first row is its best and files arrive in
 * page order (ties aside). Only the documents that can fall within the first offset + limit are
 * kept (at most that many per file, and no new file once the files kept hold that many);
 * every other row is only counted, with one bit per file for the count of files.
 */
export function wordsSearch(db: Database, snapshot: IndexSnapshot, args: WordsArgs, control: SearchControl = unbounded): WordsPage {
  const terms = [...new Set((args.query.match(WORD) ?? []).map((term) => term.toLowerCase()))];
  if (terms.length === 0) {
    return { matches: [], total: 0, files: 0 };
  }
  const prepared = statementsOf(db);
  const wanted = args.offset + args.limit;
  const seen = new Uint8Array(snapshot.rank.length);
  const pageFiles = new Map<number, PageFile>();
  let kept = 0;
  let lastBest = Number.POSITIVE_INFINITY;
  let closed = false;
  let total = 0;
  let files = 0;
  let read = 0;
  for (const [documentId, fileId, rank] of prepared.ranked.iterate(wordsMatchExpression(terms))) {
    read += 1;
    if (read % ROWS_PER_POLL === 0) {
      control.check();
    }
    if ((snapshot.rank[fileId] ?? -1) < 0 || (args.repoId !== null && snapshot.repoOf[fileId] !== args.repoId)) {
      continue;
    }
    // bm25() is negative, more negative for a better match.
    const score = -rank;
    total += 1;
    if (seen[fileId] === 0) {
      seen[fileId] = 1;
      files += 1;
      // A file whose best is below every kept file's comes after them all: past the page once they fill it.
      closed ||= kept >= wanted && score < lastBest;
      if (!closed) {
        pageFiles.set(fileId, { fileId, best: score, documents: [] });
        lastBest = score;
      }
    }
    const file = pageFiles.get(fileId);
    if (file !== undefined && file.documents.length < wanted) {
      file.documents.push({ documentId, fileId, score });
      kept += 1;
    }
  }
  control.check();
  // One group per file: files in order of their best document, a file's documents together, best first.
  const ordered = [...pageFiles.values()].sort((left, right) => right.best - left.best || (snapshot.rank[left.fileId] as number) - (snapshot.rank[right.fileId] as number));
  const page = ordered.flatMap((file) => file.documents.sort((left, right) => right.score - left.score || left.documentId - right.documentId)).slice(args.offset, wanted);
  const patterns = terms.map((term) => new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegex(term)}(?![\\p{L}\\p{N}_])`, 'giu'));
  const matches: SearchMatch[] = [];
  for (const hit of page) {
    control.check();
    matches.push(describeHit(prepared.hit, snapshot, hit, patterns));
  }
  return { matches, total, files, ...(wanted < total ? { nextOffset: wanted } : {}) };
}

type HitRow = { firstLine: number; content: string; path: string; pathBytes: Buffer };

function statementsOf(db: Database): { ranked: BetterSqlite3.Statement<[string], RankedRow>; hit: BetterSqlite3.Statement<[number], HitRow> } {
  let prepared = statements.get(db);
  if (prepared === undefined) {
    prepared = {
      ranked: db
        .prepare<[string], RankedRow>(`SELECT w.rowid, d.file_id, bm25(${WORDS_TABLE}) FROM ${WORDS_TABLE} w JOIN documents d ON d.id = w.rowid WHERE ${WORDS_TABLE} MATCH ? ORDER BY rank`)
        .raw(),
      hit: db.prepare<[number], HitRow>('SELECT d.first_line AS firstLine, d.content, f.path, f.path_bytes AS pathBytes FROM documents d JOIN files f ON f.id = d.file_id WHERE d.id = ?'),
    };
    statements.set(db, prepared);
  }
  return prepared;
}

/** The document's first line holding a query word, with the words' ranges (found in the whole text, not line by line). */
function describeHit(statement: BetterSqlite3.Statement<[number], HitRow>, snapshot: IndexSnapshot, hit: Scored, patterns: RegExp[]): SearchMatch {
  const row = statement.get(hit.documentId) as HitRow;
  const repo = snapshot.repositories.get(snapshot.repoOf[hit.fileId] as number) ?? '';
  const score = Number(hit.score.toPrecision(4));
  const content = row.content;
  let first = -1;
  for (const pattern of patterns) {
    pattern.lastIndex = 0;
    const match = pattern.exec(content);
    if (match !== null && (first === -1 || match.index < first)) {
      first = match.index;
    }
  }
  const lineStart = first === -1 ? 0 : content.lastIndexOf('\n', first) + 1;
  const newline = content.indexOf('\n', lineStart);
  const text = content.slice(lineStart, newline === -1 ? content.length : newline);
  let line = row.firstLine;
  for (let at = content.indexOf('\n'); at !== -1 && at < lineStart; at = content.indexOf('\n', at + 1)) {
    line += 1;
  }
  const ranges: [number, number][] = [];
  for (const pattern of patterns) {
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      ranges.push([match.index, match.index + match[0].length]);
    }
  }
  ranges.sort((left, right) => left[0] - right[0]);
  return { path: row.path, repo, ...pathBytesField(row.pathBytes), line, text, ranges, score };
}
