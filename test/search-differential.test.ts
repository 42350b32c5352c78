import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMatches } from './helpers/all-matches';
import { isAppError } from '../src/main/core/errors';
import { corpusLines, writeDifferentialCorpus } from './helpers/differential-corpus';
import { generateQueries, type GeneratedQuery } from './helpers/differential-queries';
import { indexedFixture, type IndexedFixture } from './helpers/index-in-process';
import { ripgrepOrError } from './helpers/ripgrep';

/** Fixed unless DIFFERENTIAL_SEED says otherwise; printed with every failure. */
const SEED = Number(process.env.DIFFERENTIAL_SEED ?? 20261202);
const QUERIES = 200;

let fixture: IndexedFixture;
let root: string;
let reader: BetterSqlite3.Database;

beforeAll(() => {
  // Small documents so lines and files are cut into several.
  fixture = indexedFixture((repo, folder) => writeDifferentialCorpus(repo, join(folder, 'outside'), SEED), { maxContentLength: 4000, maxDocumentsPerBatch: 16, chunkSize: 1024 });
  ({ root, reader } = fixture);
});

afterAll(() => {
  fixture.close();
});

type Outcome = { lines: string[] } | { refused: string };

function ours(query: GeneratedQuery): Outcome {
  try {
    const matches = allMatches(reader, { query: query.query, mode: query.mode, ignoreCase: query.ignoreCase });
    return { lines: matches.map((match) => `${match.path}:${match.line}:${match.text}`) };
  } catch (error) {
    if (isAppError(error) && error.code === 'invalid_regex') {
      return { refused: error.message };
    }
    throw error;
  }
}

function theirs(query: GeneratedQuery): Outcome {
  const result = ripgrepOrError(root, query.query, { fixed: query.mode === 'literal', ignoreCase: query.ignoreCase });
  if ('error' in result) {
    return { refused: result.error };
  }
  // rg gives no text for a line that is not UTF-8; ours is decoded lossily: compare the numbers.
  return { lines: result.hits.map((hit) => `${hit.path}:${hit.line}:${hit.text ?? '\uFFFD'}`) };
}

function comparable(outcome: Outcome, lossy: ReadonlySet<string>): Outcome {
  if ('refused' in outcome) {
    return { refused: 'refused' };
  }
  return { lines: outcome.lines.map((line) => (lossy.has(line.slice(0, line.indexOf(':', line.indexOf(':') + 1))) ? line.slice(0, line.indexOf(':', line.indexOf(':') + 1)) : line)) };
}

describe(`search equals rg on generated queries (seed ${SEED})`, () => {
  it(`agrees on ${QUERIES} queries drawn from the corpus's own text, refusals included`, () => {
    const queries = generateQueries(corpusLines(root), QUERIES, SEED);
    const failures: string[] = [];
    let refused = 0;
    let matched = 0;
    for (const query of queries) {
      const expected = theirs(query);
      // Lines rg could not give as text are compared by path and number only.
      const lossy = new Set('lines' in expected ? expected.lines.filter((line) => line.endsWith(':\uFFFD')).map((line) => line.slice(0, -2)) : []);
      const actual = comparable(ours(query), lossy);
      const wanted = comparable(expected, lossy);
      refused += 'refused' in wanted ? 1 : 0;
      matched += 'lines' in wanted && wanted.lines.length > 0 ? 1 : 0;
      if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
        failures.push(`${JSON.stringify(query)}\n  rg:   ${JSON.stringify(wanted).slice(0, 400)}\n  ours: ${JSON.stringify(actual).slice(0, 400)}`);
      }
    }
    expect(failures, `seed ${SEED} (DIFFERENTIAL_SEED=${SEED} to replay):\n${failures.slice(0, 10).join('\n')}`).toEqual([]);
    // The generator must exercise both sides: refusals and queries that find lines.
    expect(refused).toBeGreaterThan(0);
    expect(matched).toBeGreaterThan(QUERIES / 3);
    // Each query is run by rg and by the search: a few minutes on a loaded 2-core machine.
  }, 600_000);
});
