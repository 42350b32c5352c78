/**
 * `npm run bench:agreement [-- CORPUS_DIR...] [--queries N] [--seed S] [--runs N]`: search's
 * agreement with rg, and the regex verifier's speed next to rg's, measured in one run.
 *
 * For each corpus (default /tmp/corpus-small and /tmp/corpus-large): index it in process into a
 * temporary database, then
 * 1. run N generated queries (test/helpers/differential-queries.ts, seeded) through search and
 *    through `rg --hidden --max-filesize 1M -g '!.git' [-i] [-F]`, and print how many agree line
 *    for line (refusals included), with the first disagreements;
 * 2. time the full listing of `\w+` (limit 0) in process next to rg's whole-process time.
 * Then the pathological patterns on a corpus of long runs of `a` and `x`: ours in process
 * next to rg's whole process. Medians of --runs; peak RSS of this process.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConnection } from '../src/main/core/db/open-connection';
import { isAppError } from '../src/main/core/errors';
import { allMatches } from '../test/helpers/all-matches';
import { corpusLines } from '../test/helpers/differential-corpus';
import { generateQueries, PATHOLOGICAL, type GeneratedQuery } from '../test/helpers/differential-queries';
import { indexInProcess, openWriter } from '../test/helpers/index-in-process';
import { ripgrepOrError } from '../test/helpers/ripgrep';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (argv[index + 1] ?? fallback);
};
const corpora = argv.filter((value, index) => !value.startsWith('--') && !argv[index - 1]?.startsWith('--'));
const queryCount = Number(option('queries', '500'));
const seed = Number(option('seed', '12'));
const runs = Number(option('runs', '5'));
const RG_ARGS = ['--no-config', '--hidden', '--max-filesize', '1M', '-g', '!.git'];

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return Math.round((match === null ? process.resourceUsage().maxRSS : Number(match[1])) / 1024);
}

function rgSeconds(root: string, pattern: string): number {
  const started = performance.now();
  const result = spawnSync('rg', [...RG_ARGS, '-e', pattern, '.'], { cwd: root, stdio: ['ignore', 'ignore', 'ignore'] });
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`rg failed on ${pattern}`);
  }
  return (performance.now() - started) / 1000;
}

type Db = ReturnType<typeof openConnection>;

function oursSeconds(reader: Db, pattern: string): { seconds: number; lines: number } {
  const started = performance.now();
  const matches = allMatches(reader, { query: pattern, mode: 'regex' });
  return { seconds: (performance.now() - started) / 1000, lines: matches.length };
}

function outcome(reader: Db, query: GeneratedQuery): string {
  try {
    const matches = allMatches(reader, { query: query.query, mode: query.mode, ignoreCase: query.ignoreCase });
    return JSON.stringify(matches.map((match) => `${match.path}:${match.line}`));
  } catch (error) {
    if (isAppError(error) && error.code === 'invalid_regex') {
      return 'refused';
    }
    throw error;
  }
}

function rgOutcome(root: string, query: GeneratedQuery): string {
  const result = ripgrepOrError(root, query.query, { fixed: query.mode === 'literal', ignoreCase: query.ignoreCase });
  return 'error' in result ? 'refused' : JSON.stringify(result.hits.map((hit) => `${hit.path}:${hit.line}`));
}

function indexed(root: string, work: string): Db {
  const dbPath = join(work, `${Math.random().toString(36).slice(2)}.sqlite`);
  const writer = openWriter(dbPath);
  const started = performance.now();
  indexInProcess(writer, root);
  writer.close();
  console.log(`  indexed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return openConnection(dbPath, { mode: 'reader' });
}

const work = mkdtempSync(join(tmpdir(), 'bench-agreement-'));
try {
  for (const root of corpora.length > 0 ? corpora : ['/tmp/corpus-small', '/tmp/corpus-large']) {
    console.log(`\n${root}`);
    const reader = indexed(root, work);
    const queries = generateQueries(corpusLines(root), queryCount, seed);
    let agree = 0;
    const differing: string[] = [];
    for (const query of queries) {
      if (outcome(reader, query) === rgOutcome(root, query)) {
        agree += 1;
      } else if (differing.length < 10) {
        differing.push(JSON.stringify(query));
      }
    }
    console.log(`  agreement with rg: ${agree} / ${queries.length} generated queries (${((100 * agree) / queries.length).toFixed(1)}%, seed ${seed})`);
    for (const query of differing) {
      console.log(`    differs: ${query}`);
    }
    const ours: number[] = [];
    const theirs: number[] = [];
    let lines = 0;
    for (let run = 0; run < runs; run += 1) {
      const result = oursSeconds(reader, String.raw`\w+`);
      ours.push(result.seconds);
      lines = result.lines;
      theirs.push(rgSeconds(root, String.raw`\w+`));
    }
    console.log(`  \\w+ full listing (${lines} lines): ours ${median(ours).toFixed(2)} s in process, rg ${median(theirs).toFixed(2)} s whole process, ratio ${(median(ours) / median(theirs)).toFixed(2)}`);
    reader.close();
  }

  const runsRoot = join(work, 'runs');
  mkdirSync(runsRoot);
  const lines = ['a'.repeat(41), `${'a'.repeat(20_000)}!`, 'x'.repeat(41), `${'x'.repeat(20_000)}!`, `${'a '.repeat(5000)}!`];
  for (let file = 0; file < 20; file += 1) {
    writeFileSync(join(runsRoot, `runs-${file}.txt`), `${lines.join('\n')}\nfunction plain(code) { return code; }\n`);
  }
  const reader = indexed(runsRoot, work);
  console.log('\nPathological patterns on 20 files of long runs of a and x (medians):');
  console.log('  pattern          ours in process   rg whole process   lines');
  for (const pattern of PATHOLOGICAL) {
    const ours: number[] = [];
    const theirs: number[] = [];
    let found = 0;
    for (let run = 0; run < runs; run += 1) {
      const result = oursSeconds(reader, pattern);
      ours.push(result.seconds);
      found = result.lines;
      theirs.push(rgSeconds(runsRoot, pattern));
    }
    console.log(`  ${pattern.padEnd(16)} ${(median(ours) * 1000).toFixed(1).padStart(10)} ms ${(median(theirs) * 1000).toFixed(1).padStart(14)} ms ${String(found).padStart(9)}`);
  }
  reader.close();
  console.log(`\npeak RSS of this process: ${peakRssMb()} MB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
