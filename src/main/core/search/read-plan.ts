import type BetterSqlite3 from 'better-sqlite3';
import type { IndexSnapshot } from './index-snapshot';

/**
 * The files a query reads, in search order, and which of their documents: file `i` reads the
 * units starting at documents `starts[ends[i - 1] ?? 0 .. ends[i])` (document indexes in the
 * file), or the whole file when `starts` is null.
 */
export interface ReadPlan {
  readonly files: Int32Array;
  readonly starts: Int32Array | null;
  readonly ends: Int32Array | null;
}

/** A plan that reads these files whole. */
export function wholeFiles(files: Int32Array): ReadPlan {
  return { files, starts: null, ends: null };
}

/** The plan for candidate units (ascending unit numbers): their files, each with its units' starts. */
export function unitPlan(snapshot: IndexSnapshot, units: Int32Array): ReadPlan {
  const files: number[] = [];
  const ends: number[] = [];
  const starts = new Int32Array(units.length);
  units.forEach((unit, index) => {
    const file = snapshot.units.file[unit] as number;
    if (file !== files[files.length - 1]) {
      if (files.length > 0) {
        ends.push(index);
      }
      files.push(file);
    }
    starts[index] = snapshot.units.start[unit] as number;
  });
  if (files.length > 0) {
    ends.push(units.length);
  }
  return { files: Int32Array.from(files), starts, ends: Int32Array.from(ends) };
}

/** Statements that read a file's documents in order: all of them, or from the document at an index on. */
export interface DocumentStatements {
  readonly all: BetterSqlite3.Statement;
  readonly from: BetterSqlite3.Statement;
  /** (JSON array of file ids): every document of those files, file by file in the array's order, each file's in id order; rows lead with the file id. */
  readonly group: BetterSqlite3.Statement;
}

/**
 * Files whose documents one statement reads when a plan reads files whole. Most files are one or
 * two documents, so a statement per file cost more than the text it read: a `\w+` listing of the
 * large corpus read its 42,278 documents in 366-645 ms one file at a time, 167-244 ms by 64.
 */
export const GROUP_FILES = 64;

/** Prepares DocumentStatements selecting `columns` (raw rows). */
export function documentStatements(db: BetterSqlite3.Database, columns: string): DocumentStatements {
  return {
    all: db.prepare(`SELECT ${columns} FROM documents WHERE file_id = ? ORDER BY id`).raw(),
    // Rows skipped by OFFSET are index steps: their text is never read.
    from: db.prepare(`SELECT ${columns} FROM documents WHERE file_id = ? ORDER BY id LIMIT -1 OFFSET ?`).raw(),
    // CROSS JOIN keeps json_each the outer loop, so rows come in the array's order and, through
    // documents_by_file (file_id, id), in id order within a file; an ORDER BY would sort the
    // group in a temporary b-tree instead. GroupedDocuments checks the order it relies on.
    // (json_each's columns are key, value, type…: the documents' names need no table prefix.)
    group: db.prepare(`SELECT file_id, ${columns} FROM json_each(?) AS j CROSS JOIN documents ON file_id = j.value`).raw(),
  };
}

/**
 * The documents the plan reads of its file `index`, in order: every document, or for each
 * unit those from its first to the one that ends its last line (`endsLine` tells). Adjacent
 * units are read by one statement. `fromDocument` (a document index in the file that starts
 * a line) skips the documents before it, so a page resumed inside a file does not read the
 * file again from its start.
 */
export function* plannedDocuments<Row>(statements: DocumentStatements, plan: ReadPlan, index: number, endsLine: (row: Row) => boolean, fromDocument = 0): Generator<Row, void, undefined> {
  const fileId = plan.files[index] as number;
  const starts = plan.starts === null || plan.ends === null ? null : plan.starts.subarray(plan.ends[index - 1] ?? 0, plan.ends[index]);
  if (starts === null) {
    yield* (fromDocument > 0 ? statements.from.iterate(fileId, fromDocument) : statements.all.iterate(fileId)) as IterableIterator<Row>;
    return;
  }
  // The last unit starting at or before fromDocument: reading resumes inside it (or just after
  // its end, up to the next line end, which is harmless: every line is verified anyway).
  let unit = 0;
  while (unit + 1 < starts.length && (starts[unit + 1] as number) <= fromDocument) {
    unit += 1;
  }
  let resumeAt = fromDocument;
  while (unit < starts.length) {
    let next = Math.max(starts[unit] as number, resumeAt);
    resumeAt = 0;
    let stopped = false;
    // for-of closes the statement's iterator on break, and when our consumer stops at a yield.
    for (const row of statements.from.iterate(fileId, next) as IterableIterator<Row>) {
      yield row;
      next += 1;
      if (endsLine(row)) {
        unit += 1;
        if (starts[unit] !== next) {
          stopped = true;
          break;
        }
      }
    }
    if (!stopped) {
      // The file ended, inside a unit when its last line has no newline: no unit is left.
      return;
    }
  }
}

/**
 * The documents of a whole-file plan's files, read GROUP_FILES files per statement. Files are
 * asked for one after the other in plan order, each once the previous one's documents were all
 * taken; `close` ends the statement (a scan that stops early must call it).
 */
export class GroupedDocuments<Row> {
  private rows: IterableIterator<unknown[]> | undefined;
  /** A row read ahead: the first of a later file of the group. */
  private pending: unknown[] | undefined;
  /** The plan indexes of the open group's files: [groupStart, groupEnd). */
  private groupStart = 0;
  private groupEnd = 0;

  constructor(
    private readonly statements: DocumentStatements,
    private readonly plan: ReadPlan,
  ) {}

  /** Every document of the plan's file `index`, as the row the per-file statements give (the file id left out). */
  *file(index: number): Generator<Row, void, undefined> {
    if (index < this.groupStart || index >= this.groupEnd) {
      this.open(index);
    }
    const fileId = this.plan.files[index] as number;
    for (;;) {
      const row = this.pending ?? (this.rows?.next().value as unknown[] | undefined);
      this.pending = undefined;
      if (row === undefined) {
        return;
      }
      if (row[0] !== fileId) {
        // A later file's first row (this file has no more documents): kept for that file.
        this.expectLater(row[0] as number, index);
        this.pending = row;
        return;
      }
      yield row.slice(1) as Row;
    }
  }

  close(): void {
    this.rows?.return?.();
    this.rows = undefined;
    this.pending = undefined;
    this.groupStart = 0;
    this.groupEnd = 0;
  }

  private open(index: number): void {
    this.close();
    this.groupStart = index;
    this.groupEnd = Math.min(this.plan.files.length, index + GROUP_FILES);
    this.rows = this.statements.group.iterate(JSON.stringify(Array.from(this.plan.files.subarray(index, this.groupEnd)))) as IterableIterator<unknown[]>;
  }

  /** The order the statement's rows are relied on to come in: a row of a file before `index` means SQLite chose another plan. */
  private expectLater(fileId: number, index: number): void {
    const rest = this.plan.files.subarray(index + 1, this.groupEnd);
    if (!rest.includes(fileId)) {
      throw new Error(`Documents of file ${fileId} came out of plan order (reading file ${this.plan.files[index]})`);
    }
  }
}
