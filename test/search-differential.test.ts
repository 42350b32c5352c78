import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusLines, writeDifferentialCorpus } from './helpers/differential-corpus';
import { generateQueries, type GeneratedQuery } from './helpers/differential-queries';
import { indexedFixture, type IndexedFixture } from './helpers/index-in-process';
import { ripgrepBatch, type RgOutcome } from './helpers/ripgrep';
import type { DifferentialOutcome } from './helpers/differential-worker';

/** Fixed unless DIFFERENTIAL_SEED says otherwise; printed with every failure. */
const SEED = Number(process.env.DIFFERENTIAL_SEED ?? 20261202);
const QUERIES = 200;

let fixture: IndexedFixture;
let root: string;

beforeAll(() => {
  // Small documents so lines and files are cut into several.
  fixture = indexedFixture((repo, folder) => writeDifferentialCorpus(repo, join(folder, 'outside'), SEED), { maxContentLength: 4000, maxDocumentsPerBatch: 16, chunkSize: 1024 });
  ({ root } = fixture);
});

afterAll(() => {
  fixture.close();
});

type Outcome = DifferentialOutcome;

/** The search's outcomes of the queries, answered by `threads` worker threads (each its own reader). */
function oursInWorkers(queries: readonly GeneratedQuery[], threads: number): Promise<Outcome[]> {
  const shares = Array.from({ length: threads }, (_, thread) => queries.filter((_, index) => index % threads === thread));
  const answers = shares.map(
    (share) =>
      new Promise<Outcome[]>((resolve, reject) => {
        const worker = new Worker(join(__dirname, 'helpers', 'differential-worker.ts'), {
          execArgv: ['--require', 'tsx/cjs'],
          workerData: { dbPath: join(fixture.folder, 'index.sqlite'), queries: share },
        });
        worker.once('message', (outcomes: Outcome[]) => resolve(outcomes));
        worker.once('error', reject);
        worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`differential worker exited with ${code}`))));
      }),
  );
  return Promise.all(answers).then((outcomes) => queries.map((_, index) => outcomes[index % threads]?.[Math.floor(index / threads)] as Outcome));
}

function theirs(result: RgOutcome): Outcome {
  if ('timedOut' in result) {
    throw new Error('rg timed out');
  }
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
  it(`agrees on ${QUERIES} queries drawn from the corpus's own text, refusals included`, async () => {
    const queries = generateQueries(corpusLines(root), QUERIES, SEED);
    // rg runs once per query, a few processes at a time.
    const rgOutcomes = ripgrepBatch(
      root,
      queries.map((query) => ({ pattern: query.query, fixed: query.mode === 'literal', ignoreCase: query.ignoreCase })),
      { concurrency: 3, threads: 1 },
    );
    // Meanwhile two threads answer them with the search, each on its own reader of the one index.
    const [outcomes, expectations] = await Promise.all([oursInWorkers(queries, 2), rgOutcomes]);
    const failures: string[] = [];
    let refused = 0;
    let matched = 0;
    const rawNames = new Set<string>();
    queries.forEach((query, index) => {
      const outcome = expectations[index] as RgOutcome;
      ('hits' in outcome ? outcome.hits : []).forEach((hit) => hit.pathBytes !== undefined && rawNames.add(Buffer.from(hit.pathBytes, 'base64').toString('latin1')));
      const expected = theirs(outcome);
      // Lines rg could not give as text are compared by path and number only.
      const lossy = new Set('lines' in expected ? expected.lines.filter((line) => line.endsWith(':\uFFFD')).map((line) => line.slice(0, -2)) : []);
      const actual = comparable(outcomes[index] as Outcome, lossy);
      const wanted = comparable(expected, lossy);
      refused += 'refused' in wanted ? 1 : 0;
      matched += 'lines' in wanted && wanted.lines.length > 0 ? 1 : 0;
      if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
        failures.push(`${JSON.stringify(query)}\n  rg:   ${JSON.stringify(wanted).slice(0, 400)}\n  ours: ${JSON.stringify(actual).slice(0, 400)}`);
      }
    });
    expect(failures, `seed ${SEED} (DIFFERENTIAL_SEED=${SEED} to replay):\n${failures.slice(0, 10).join('\n')}`).toEqual([]);
    // The generator must exercise both sides: refusals and queries that find lines.
    expect(refused).toBeGreaterThan(0);
    expect(matched).toBeGreaterThan(QUERIES / 3);
    // And lines of every name that is not UTF-8, both look-alikes included.
    expect([...rawNames].sort()).toEqual(['names/caf\xe8.txt', 'names/caf\xe9.txt', 'names/dossier\xff/notes.txt']);
    // The search's threads and rg's processes overlap: the test takes about as long as the search's share.
  }, 600_000);
});
