import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RgAnswers } from '../scripts/rg-answers';
import type { GeneratedQuery } from './helpers/differential-queries';
import { makeTempDir, writeRepo } from './helpers/make-repo';
import { ripgrepBatch, type RgOutcome } from './helpers/ripgrep';

const QUERIES: GeneratedQuery[] = [
  { query: 'needle', mode: 'literal', ignoreCase: false },
  { query: 'NEE+DLE', mode: 'regex', ignoreCase: true },
  { query: 'hay(', mode: 'regex', ignoreCase: false },
];
const SETTINGS = { maxLines: 100, budgetMs: 30_000 };

let temp: ReturnType<typeof makeTempDir>;
let root: string;
let cache: string;

beforeEach(() => {
  temp = makeTempDir();
  root = join(temp.path, 'repo');
  cache = join(temp.path, 'cache');
  writeRepo(root, { 'a.txt': 'a needle\nhay\n', 'b/c.txt': 'hay\nneeedle and needle\n' });
});

afterEach(() => {
  temp.remove();
});

/** An outcome without rg's time, which differs from run to run. */
function answerOf(outcome: RgOutcome): unknown {
  return 'hits' in outcome ? { hits: outcome.hits, truncated: outcome.truncated } : outcome;
}

async function expected(): Promise<unknown[]> {
  const outcomes = await ripgrepBatch(
    root,
    QUERIES.map((query) => ({ pattern: query.query, fixed: query.mode === 'literal', ignoreCase: query.ignoreCase })),
  );
  return outcomes.map(answerOf);
}

describe("bench-agreement's rg answers", () => {
  it("hands over rg's answer to each query, awaited or arrived before it was asked, and caches each one", async () => {
    const answers = new RgAnswers(root, 'stamp', QUERIES, { cache, ...SETTINGS });
    expect(answers.toRun).toBe(3);
    // The first is asked while rg runs it; the others once rg has ended, so they come from the cache.
    const first = await answers.answer(0);
    await answers.done;
    const rest = await Promise.all([answers.answer(1), answers.answer(2)]);
    expect([first, ...rest].map(answerOf)).toEqual(await expected());
    expect(readdirSync(cache)).toHaveLength(3);
  });

  it('runs rg only for queries without an answer in the cache: a timeout is asked again', async () => {
    await new RgAnswers(root, 'stamp', QUERIES, { cache, ...SETTINGS }).done;
    const again = new RgAnswers(root, 'stamp', QUERIES, { cache, ...SETTINGS });
    expect(again.toRun).toBe(0);
    expect((await Promise.all(QUERIES.map((_query, index) => again.answer(index)))).map(answerOf)).toEqual(await expected());

    const [timedOut = ''] = readdirSync(cache);
    writeFileSync(join(cache, timedOut), JSON.stringify({ timedOut: true }));
    const rerun = new RgAnswers(root, 'stamp', QUERIES, { cache, ...SETTINGS });
    expect(rerun.toRun).toBe(1);
    expect((await Promise.all(QUERIES.map((_query, index) => rerun.answer(index)))).map(answerOf)).toEqual(await expected());
    // Another corpus state is another key.
    const otherState = new RgAnswers(root, 'other stamp', QUERIES, { cache, ...SETTINGS });
    expect(otherState.toRun).toBe(3);
    await otherState.done;
  });
});
