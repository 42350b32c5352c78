import type BetterSqlite3 from 'better-sqlite3';
import type { IndexSnapshot } from './index-snapshot';
import type { Range } from './line-matcher';
import { endsLine, scanDocuments, type DocumentRow, type LineBytes, type Verifier } from './line-scan';
import { GroupedDocuments, plannedDocuments, type DocumentStatements, type ReadPlan } from './read-plan';
import type { SearchControl } from './search-control';

/** The statements a scan reads with, prepared once per connection. */
export interface ScanStatements {
  readonly documents: DocumentStatements;
  /** A file's path by id. */
  readonly path: BetterSqlite3.Statement;
  /** ({ file, line }): the index of the file's first document starting on the last document line at or before `line`. */
  readonly resume: BetterSqlite3.Statement;
}

/** One query's scan over its read plan. */
export interface PlanScan {
  readonly statements: ScanStatements;
  readonly snapshot: IndexSnapshot;
  readonly plan: ReadPlan;
  readonly verifier: Verifier;
  readonly control: SearchControl;
}

/** Where a scan starts: the plan's file `index`, after its line `afterLine` (0: the whole file). */
export interface ScanStart {
  readonly index: number;
  readonly afterLine: number;
}

/** Receives one matching line of the plan's file `index` (its bytes when the verifier asks for them); returns false to stop. */
export type PlanSink = (index: number, line: number, text: string, ranges: Range[], bytes: LineBytes | undefined) => boolean;

/** Told when the plan's file `index` was scanned to its end, with its matching lines; returns false to stop. */
export type FileDone = (index: number, matches: number) => boolean;

/**
 * Scans the plan's files in order from `start`, handing each matching line to `sink` as it
 * is found: nothing is gathered here, so memory does not grow with the number of matches.
 * Returns true when the plan's end was reached.
 */
export function scanPlan(scan: PlanScan, start: ScanStart, sink: PlanSink, fileDone?: FileDone): boolean {
  // Files read whole come a group per statement, but for one resumed inside (its own statement).
  const grouped = scan.plan.starts === null ? new GroupedDocuments<DocumentRow>(scan.statements.documents, scan.plan) : null;
  try {
    return scanFiles(scan, start, sink, fileDone, grouped);
  } finally {
    grouped?.close();
  }
}

function scanFiles(scan: PlanScan, start: ScanStart, sink: PlanSink, fileDone: FileDone | undefined, grouped: GroupedDocuments<DocumentRow> | null): boolean {
  const { plan, statements } = scan;
  for (let index = start.index; index < plan.files.length; index += 1) {
    const fileId = plan.files[index] as number;
    const afterLine = index === start.index ? start.afterLine : 0;
    let matches = 0;
    // Resuming after a line: start at the document holding the next line, not at the file's start
    // (pages of a file with many matches would otherwise read it again for every page).
    const fromDocument = afterLine > 0 ? (statements.resume.get({ file: fileId, line: afterLine + 1 }) as number) : 0;
    const documents = grouped !== null && fromDocument === 0 ? grouped.file(index) : plannedDocuments<DocumentRow>(statements.documents, plan, index, endsLine, fromDocument);
    const finished = scanDocuments(
      documents,
      scan.verifier,
      (line, text, ranges, bytes) => {
        if (line <= afterLine) {
          return true;
        }
        matches += 1;
        return sink(index, line, text, ranges, bytes);
      },
      scan.control,
      () => statements.path.get(fileId) as string,
    );
    if (!finished) {
      return false;
    }
    if (fileDone !== undefined && !fileDone(index, matches)) {
      return index + 1 >= plan.files.length;
    }
  }
  return true;
}

/**
 * The index of the first plan file at or after `fileId` in search order; -1 when the file is
 * no longer indexed (the index changed under a cursor).
 */
export function planIndexOf(snapshot: IndexSnapshot, plan: ReadPlan, fileId: number): number {
  const rank = fileId < snapshot.rank.length ? (snapshot.rank[fileId] as number) : -1;
  if (rank < 0) {
    return -1;
  }
  let low = 0;
  let high = plan.files.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((snapshot.rank[plan.files[middle] as number] as number) < rank) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}
