import type BetterSqlite3 from 'better-sqlite3';
import type { SearchMatch } from '../../../shared/types';
import { candidateUnits } from './candidates';
import { literalGrams } from './grams';
import type { IndexSnapshot } from './index-snapshot';
import { escapeRegex } from './line-matcher';
import { unite } from './query-candidates';
import { documentStatements, plannedDocuments, unitPlan, wholeFiles } from './read-plan';

type Database = BetterSqlite3.Database;

/** BM25 parameters (the usual defaults). */
const K1 = 1.2;
const B = 0.75;
const WORD = /[\p{L}\p{N}_]+/gu;

export interface WordsArgs {
  readonly query: string;
  readonly repoId: number | null;
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

/**
 * Ranked word search: BM25 over documents, computed exactly at query time, grouped by file
 * (files ranked by their best document, each file's documents together, best first). The trigram
 * index narrows the documents to those of the units that may hold a query word; each is then counted
 * for whole-word occurrences (case-insensitive), which gives tf and df; N and the average
 * document length come from the documents' word counts stored at indexing.
 */
export function wordsSearch(db: Database, snapshot: IndexSnapshot, args: WordsArgs): WordsPage {
  const terms = [...new Set((args.query.match(WORD) ?? []).map((term) => term.toLowerCase()))];
  if (terms.length === 0) {
    return { matches: [], total: 0, files: 0 };
  }
  const patterns = terms.map((term) => new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegex(term)}(?![\\p{L}\\p{N}_])`, 'giu'));
  // The units that may hold some term; a term too short for a trigram reads every file whole.
  let units: Int32Array | null = new Int32Array(0);
  for (const term of terms) {
    const grams = term.length >= 3 ? literalGrams(term, true) : [];
    if (grams.length === 0) {
      units = null;
      break;
    }
    units = unite(units, candidateUnits(db, snapshot, grams, args.repoId));
  }
  const plan = units === null ? wholeFiles(allFiles(snapshot, args.repoId)) : unitPlan(snapshot, units);
  const stats = (
    args.repoId === null
      ? db.prepare('SELECT count(*) AS n, avg(words) AS average FROM documents').get()
      : db.prepare('SELECT count(*) AS n, avg(d.words) AS average FROM documents d JOIN files f ON f.id = d.file_id WHERE f.repo_id = ?').get(args.repoId)
  ) as { n: number; average: number | null };
  const averageLength = Math.max(stats.average ?? 1, 1);
  const documents = documentStatements(db, 'id, words, content');
  const frequencies: { documentId: number; fileId: number; length: number; tf: number[] }[] = [];
  const df = terms.map(() => 0);
  for (let index = 0; index < plan.files.length; index += 1) {
    const fileId = plan.files[index] as number;
    for (const [documentId, length, content] of plannedDocuments<DocumentRow>(documents, plan, index, endsLine)) {
      const tf = patterns.map((pattern) => countMatches(pattern, content));
      if (tf.some((count) => count > 0)) {
        tf.forEach((count, index) => {
          if (count > 0) {
            df[index] = (df[index] as number) + 1;
          }
        });
        frequencies.push({ documentId, fileId, length, tf });
      }
    }
  }
  const idf = df.map((count) => Math.log(1 + (stats.n - count + 0.5) / (count + 0.5)));
  const scored: Scored[] = frequencies.map(({ documentId, fileId, length, tf }) => {
    let score = 0;
    tf.forEach((count, index) => {
      if (count > 0) {
        score += ((idf[index] as number) * count * (K1 + 1)) / (count + K1 * (1 - B + (B * length) / averageLength));
      }
    });
    return { documentId, fileId, score };
  });
  // One group per file: files in order of their best document, a file's documents together, best first.
  const best = new Map<number, number>();
  for (const hit of scored) {
    best.set(hit.fileId, Math.max(best.get(hit.fileId) ?? Number.NEGATIVE_INFINITY, hit.score));
  }
  const bestOf = (hit: Scored): number => best.get(hit.fileId) as number;
  scored.sort(
    (left, right) =>
      bestOf(right) - bestOf(left) || (snapshot.rank[left.fileId] as number) - (snapshot.rank[right.fileId] as number) || right.score - left.score || left.documentId - right.documentId,
  );
  const end = args.limit === 0 ? scored.length : Math.min(scored.length, args.offset + args.limit);
  const page = scored.slice(args.offset, end);
  const matches = page.map((hit) => describeHit(db, snapshot, hit, patterns));
  const files = new Set(scored.map((hit) => hit.fileId)).size;
  return { matches, total: scored.length, files, ...(end < scored.length ? { nextOffset: end } : {}) };
}

/** The document's first line holding a query word, with the words' ranges. */
function describeHit(db: Database, snapshot: IndexSnapshot, hit: Scored, patterns: RegExp[]): SearchMatch {
  const row = db.prepare('SELECT d.first_line AS firstLine, d.content, f.path FROM documents d JOIN files f ON f.id = d.file_id WHERE d.id = ?').get(hit.documentId) as {
    firstLine: number;
    content: string;
    path: string;
  };
  const repo = snapshot.repositories.get(snapshot.repoOf[hit.fileId] as number) ?? '';
  const lines = row.content.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const text = lines[index] as string;
    const ranges: [number, number][] = [];
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      for (const match of text.matchAll(pattern)) {
        ranges.push([match.index, match.index + match[0].length]);
      }
    }
    if (ranges.length > 0) {
      ranges.sort((left, right) => left[0] - right[0]);
      return { path: row.path, repo, line: row.firstLine + index, text, ranges, score: Math.round(hit.score * 1000) / 1000 };
    }
  }
  return { path: row.path, repo, line: row.firstLine, text: lines[0] ?? '', ranges: [], score: hit.score };
}

function countMatches(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let count = 0;
  while (pattern.exec(text) !== null) {
    count += 1;
  }
  return count;
}

type DocumentRow = [id: number, words: number, content: string];

function endsLine(row: DocumentRow): boolean {
  return row[2].endsWith('\n');
}

function allFiles(snapshot: IndexSnapshot, repoId: number | null): Int32Array {
  return repoId === null ? snapshot.ordered : snapshot.ordered.filter((id) => snapshot.repoOf[id] === repoId);
}
