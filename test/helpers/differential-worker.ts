/**
 * A worker thread of the differential test: answers its share of the generated queries with
 * the search on its own reader connection, so the queries are answered by several threads
 * while rg's processes run. workerData: { dbPath, queries }; posts one DifferentialOutcome per query.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from '../../src/main/core/db/open-connection';
import { isAppError } from '../../src/main/core/base/errors';
import { allMatches } from './all-matches';
import type { GeneratedQuery } from './differential-queries';

/** The search's lines (`path:line:text`) for a query, or the message it refused it with. */
export type DifferentialOutcome = { lines: string[] } | { refused: string };

const { dbPath, queries } = workerData as { dbPath: string; queries: GeneratedQuery[] };
const reader = openConnection(dbPath, { mode: 'reader' });
const outcomes = queries.map((query): DifferentialOutcome => {
  try {
    const matches = allMatches(reader, { query: query.query, mode: query.mode, ignoreCase: query.ignoreCase });
    return { lines: matches.map((match) => `${match.path}:${match.line}:${match.text}`) };
  } catch (error) {
    if (isAppError(error) && error.code === 'invalid_regex') {
      return { refused: error.message };
    }
    throw error;
  }
});
reader.close();
parentPort?.postMessage(outcomes);
