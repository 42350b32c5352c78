import { resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { FileLine, FileLines } from '../../../shared/types';
import { AppError } from '../base/errors';
import { FileState } from '../index/format';
import { pragmaValue } from '../base/pragma-value';

type Database = BetterSqlite3.Database;

export interface ReadLinesArgs {
  readonly repo: string;
  /** Relative to the root, `/`-separated, as search results give it. */
  readonly path: string;
  /** The search result's raw name bytes (base64) when the name is not UTF-8: `path` alone may name two files. */
  readonly pathBytes?: string | undefined;
  /** 1-based line numbers wanted (context and preview); at most MAX_LINES_PER_READ. */
  readonly lines: readonly number[];
}

/** Characters of one line returned; longer lines are cut (the match line is in the search result whole). */
export const MAX_LINE_CHARACTERS = 2000;

interface Statements {
  readonly file: BetterSqlite3.Statement;
  readonly from: BetterSqlite3.Statement;
}

const statements = new WeakMap<Database, Statements>();

function prepared(db: Database): Statements {
  let found = statements.get(db);
  if (found === undefined) {
    found = {
      // By the raw name when given; by the shown one otherwise: a UTF-8 name (empty bytes) first,
      // and two rows to tell a lone look-alike from a pair.
      file: db
        .prepare(
          `SELECT f.id, length(f.path_bytes) > 0 FROM files f JOIN repositories r ON r.id = f.repo_id
             WHERE r.root = @root AND f.path = @path AND (@bytes IS NULL OR f.path_bytes = @bytes) AND f.state = ${FileState.indexed}
             ORDER BY f.path_bytes LIMIT 2`,
        )
        .raw(),
      // From the first document of the line holding the first wanted line (a long line spans
      // several documents, all with its number as first_line), in order.
      from: db
        .prepare(
          `SELECT first_line, content FROM documents WHERE file_id = @file AND id >= coalesce(
             (SELECT min(id) FROM documents WHERE file_id = @file AND first_line =
               (SELECT max(first_line) FROM documents WHERE file_id = @file AND first_line <= @line)), 0) ORDER BY id`,
        )
        .raw(),
    };
    statements.set(db, found);
  }
  return found;
}

/**
 * Lines of an indexed file, read from the index (not from disk, so they are the text that
 * was searched): the documents from the one holding the first wanted line up to the one past
 * the last, never more than the file's own size (MAX_FILE_SIZE bounds it).
 */
export function readLines(db: Database, args: ReadLinesArgs): FileLines {
  const root = resolve(args.repo);
  if (pragmaValue(db, 'user_version') === 0) {
    throw new AppError('not_found', `Repository not indexed: ${root}`);
  }
  const { file, from } = prepared(db);
  const bytes = args.pathBytes === undefined ? null : Buffer.from(args.pathBytes, 'base64');
  const rows = file.all({ root, path: args.path, bytes }) as [id: number, lossy: number][];
  const [fileId, lossy] = rows[0] ?? [];
  if (fileId === undefined) {
    throw new AppError('not_found', `Not in the index: ${args.path} in ${root}`);
  }
  if (lossy === 1 && rows.length > 1) {
    // Two names that are not UTF-8 shown alike: either could be meant, so neither is guessed.
    throw new AppError('bad_request', `Several files are shown as ${args.path} in ${root} (names that are not UTF-8): ask with the search result's pathBytes`);
  }
  const wanted = new Set(args.lines);
  const first = Math.min(...wanted);
  const last = Math.max(...wanted);
  const lines: FileLine[] = [];
  // The line being read and its text so far; a line longer than a document continues in the next one.
  let open: number | null = null;
  let text = '';
  const finish = (): void => {
    if (open !== null && wanted.has(open)) {
      lines.push(cut(open, text));
    }
    open = null;
    text = '';
  };
  for (const [firstLine, content] of from.iterate({ file: fileId, line: first }) as IterableIterator<[number, string]>) {
    let line: number = open ?? firstLine;
    let start = 0;
    while (start < content.length) {
      const newline = content.indexOf('\n', start);
      open = line;
      if (wanted.has(line) && text.length <= MAX_LINE_CHARACTERS) {
        text += content.slice(start, newline === -1 ? content.length : newline);
      }
      if (newline === -1) {
        break;
      }
      finish();
      line += 1;
      start = newline + 1;
    }
    if (line > last) {
      break;
    }
  }
  finish();
  lines.sort((a, b) => a.line - b.line);
  return { repo: root, path: args.path, ...(args.pathBytes === undefined ? {} : { pathBytes: args.pathBytes }), lines };
}

function cut(line: number, text: string): FileLine {
  const clean = text.endsWith('\r') ? text.slice(0, -1) : text;
  return clean.length > MAX_LINE_CHARACTERS ? { line, text: clean.slice(0, MAX_LINE_CHARACTERS), cut: true } : { line, text: clean };
}

/** The op table entry the reader workers register. */
export const fileLineOps = { readLines };
