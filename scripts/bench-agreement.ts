/**
 * `npm run bench:agreement [-- CORPUS_DIR...] [--queries N] [--seed S] [--runs N] [--max-lines N] [--budget-ms N]`:
 * search's agreement with rg and its first-page speed, measured in one run, with rg's figures
 * side by side.
 *
 * Each corpus (default /tmp/corpus-small and /tmp/corpus-large) is indexed with the CLI
 * (`gitbot index DIR --db /tmp/search-<name>.sqlite`; an index already there is brought up to
 * date, which is quick), then:
 * 1. N generated queries (test/helpers/differential-queries.ts, seeded, from the corpus's own
 *    lines) go through the search in process and through
 *    `rg --hidden --max-filesize 1M -g '!.git' [-i] [-F]`, compared line by line, refusals
 *    included. rg runs once per query, two processes at a time, in the background; its answers
 *    are cached in /tmp/search-rg-cache (keyed by rg's version, the corpus's files and the query),
 *    so a second run only pays for the search (scripts/rg-answers.ts). Each query is compared as
 *    soon as both sides have answered, and both answers dropped, so memory holds one query's
 *    answers, not every query's (holding them all, the process peaked at 2.6 GB RSS on the
 *    large corpus). Each query is bounded: a query with more than --max-lines lines (either
 *    side) is compared by its totals instead (matching lines and files: `rg -c` against the
 *    search's count), and one that rg or the search cannot finish within its time budget is
 *    counted as "not compared" and listed.
 * 2. First pages (50 lines, no totals) of every generated query, by kind: literal, regex whose
 *    literals narrow the candidates (under a tenth of the index's units are candidates), other
 *    regexes; wall time and the thread's CPU time (the machine is shared: CPU time is the
 *    figure that load does not inflate).
 * 3. Words mode first pages, `use[A-Z]\w+State` time to the first result, and the full listing
 *    of `\w+`, next to rg's whole-process time.
 * Then the pathological patterns on a corpus of long runs of `a` and `x`. Medians of --runs;
 * peak RSS of this process.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { openConnection } from '../src/main/core/db/open-connection';
import { isAppError } from '../src/main/core/base/errors';
import { indexSnapshot } from '../src/main/core/index/snapshot';
import { queryCandidates } from '../src/main/core/search/query-candidates';
import { regexQuery } from '../src/main/core/search/regex-literals';
import { countMatches, search, type SearchArgs } from '../src/main/core/search/search';
import { searchControl } from '../src/main/core/search/search-control';
import { wordsSearch } from '../src/main/core/search/words';
import { corpusLines } from '../test/helpers/differential-corpus';
import { generateQueries, PATHOLOGICAL, type GeneratedQuery } from '../test/helpers/differential-queries';
import { indexInProcess, openWriter } from '../test/helpers/index-in-process';
import type { RgOutcome } from '../test/helpers/ripgrep';
import { RgAnswers } from './rg-answers';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (argv[index + 1] ?? fallback);
};
const corpora = argv.filter((value, index) => !value.startsWith('--') && !argv[index - 1]?.startsWith('--'));
const queryCount = Number(option('queries', '500'));
const seed = Number(option('seed', '12'));
const runs = Number(option('runs', '5'));
const maxLines = Number(option('max-lines', '5000'));
/** Each query's budget, for the search and for rg. */
const QUERY_BUDGET_MS = Number(option('budget-ms', '5000'));
const RG_ARGS = ['--no-config', '--hidden', '--max-filesize', '1M', '-g', '!.git'];
const CACHE = '/tmp/search-rg-cache';
const WORDS = ['function', 'return', 'memory leak', 'useState', 'prototype', 'deprecated', 'subscriber', 'zyzzyva'];

type Db = BetterSqlite3.Database;

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] as number;
}

const ms = (seconds: number): string => `${(seconds * 1000).toFixed(1)} ms`;

function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return Math.round((match === null ? process.resourceUsage().maxRSS : Number(match[1])) / 1024);
}

/**
 * rg's whole-process time for a pattern, its output read through a pipe: rg stops at the first
 * match when its output is /dev/null, so that would not measure a listing.
 */
function rgSeconds(root: string, pattern: string): number {
  const started = performance.now();
  const quoted = [...RG_ARGS, '-e', pattern, '.'].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
  const result = spawnSync('sh', ['-c', `rg ${quoted} | wc -c`], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
  if (result.status !== 0) {
    throw new Error(`rg failed on ${pattern}`);
  }
  return (performance.now() - started) / 1000;
}

/** Seconds one call takes, median of `runs`, and its last result. */
function timed<T>(work: () => T, count = runs): { seconds: number; result: T } {
  const times: number[] = [];
  let result: T | undefined;
  for (let run = 0; run < count; run += 1) {
    const started = performance.now();
    result = work();
    times.push((performance.now() - started) / 1000);
  }
  return { seconds: median(times), result: result as T };
}

const OVER_LINES = `more than ${maxLines} lines`;

type Ours = { lines: string[] } | { refused: true } | { notCompared: string };

/** Every line of a query, page after page, within the query's budget and --max-lines. */
function oursOutcome(reader: Db, query: GeneratedQuery): Ours {
  const control = searchControl({ budgetMs: QUERY_BUDGET_MS });
  const lines: string[] = [];
  let cursor: string | undefined;
  try {
    do {
      const page = search(reader, { query: query.query, mode: query.mode, ignoreCase: query.ignoreCase, limit: 1000, totals: false, ...(cursor === undefined ? {} : { cursor }) }, control);
      for (const match of page.matches) {
        lines.push(`${match.path}:${match.line}`);
      }
      if (lines.length > maxLines) {
        return { notCompared: OVER_LINES };
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  } catch (error) {
    if (isAppError(error) && error.code === 'invalid_regex') {
      return { refused: true };
    }
    if (isAppError(error) && error.code === 'timeout') {
      return { notCompared: `search over its ${QUERY_BUDGET_MS} ms budget` };
    }
    throw error;
  }
  return { lines };
}

function rgComparable(outcome: RgOutcome): Ours {
  if ('timedOut' in outcome) {
    return { notCompared: `rg over its ${QUERY_BUDGET_MS} ms budget` };
  }
  if ('error' in outcome) {
    return { refused: true };
  }
  if (outcome.truncated) {
    return { notCompared: OVER_LINES };
  }
  return { lines: outcome.hits.map((hit) => `${hit.path}:${hit.line}`) };
}

/**
 * What comparing one query found, in a few words: its answers are dropped once compared. A query
 * over --max-lines is compared by its totals after the loop (`rg -c` would block the event loop
 * that rg's background processes need).
 */
type Verdict = { readonly compared: 'lines' | 'totals'; readonly differs: string | null } | { readonly skipped: string } | { readonly totalsOf: GeneratedQuery };

function lineVerdict(query: GeneratedQuery, mine: Ours, wanted: Ours): Verdict {
  const reason = 'notCompared' in mine ? mine.notCompared : 'notCompared' in wanted ? wanted.notCompared : null;
  if (reason === OVER_LINES) {
    // Too many lines to hold: the totals are compared instead.
    return { totalsOf: query };
  }
  if (reason !== null) {
    return { skipped: `${JSON.stringify(query)}: ${reason}` };
  }
  const same = JSON.stringify(mine) === JSON.stringify(wanted);
  return { compared: 'lines', differs: same ? null : `${JSON.stringify(query)}\n      rg:   ${JSON.stringify(wanted).slice(0, 300)}\n      ours: ${JSON.stringify(mine).slice(0, 300)}` };
}

function totalsVerdict(root: string, reader: Db, query: GeneratedQuery): Verdict {
  const totals = totalsCompared(root, reader, query);
  if (totals === null) {
    return { skipped: `${JSON.stringify(query)}: over ${maxLines} lines, and a side over its ${QUERY_BUDGET_MS} ms budget for the totals` };
  }
  return { compared: 'totals', differs: totals.ours === totals.rg ? null : `${JSON.stringify(query)} (totals)\n      rg:   ${totals.rg}\n      ours: ${totals.ours}` };
}

/** Candidate units under this share of the index's mean the query's literals narrow the search. */
const NARROWING_SHARE = 0.1;

function kindOf(reader: Db, query: GeneratedQuery): 'literal' | 'narrowing regex' | 'other regex' {
  if (query.mode === 'literal') {
    return 'literal';
  }
  try {
    const snapshot = indexSnapshot(reader);
    const units = queryCandidates(reader, snapshot, regexQuery(query.query, query.ignoreCase), query.ignoreCase, null);
    return units !== null && units.length < NARROWING_SHARE * snapshot.units.file.length ? 'narrowing regex' : 'other regex';
  } catch {
    return 'other regex';
  }
}

/** The totals of a query over --max-lines, for both sides: matching lines and files; null when a side is over its budget. */
function totalsCompared(root: string, reader: Db, query: GeneratedQuery): { ours: string; rg: string } | null {
  const args = [...RG_ARGS, '-c', ...(query.mode === 'literal' ? ['-F'] : []), ...(query.ignoreCase ? ['-i'] : []), '-e', query.query, '.'];
  const result = spawnSync('rg', args, { cwd: root, encoding: 'utf8', timeout: QUERY_BUDGET_MS, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0 && result.status !== 1) {
    return null;
  }
  const counts = result.stdout.split('\n').filter((line) => line !== '');
  const rgLines = counts.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(':') + 1)), 0);
  try {
    const total = countMatches(reader, { query: query.query, mode: query.mode, ignoreCase: query.ignoreCase }, searchControl({ budgetMs: QUERY_BUDGET_MS }));
    return total.exact ? { ours: `${total.matches} lines in ${total.files} files`, rg: `${rgLines} lines in ${counts.length} files` } : null;
  } catch (error) {
    if (isAppError(error) && error.code === 'timeout') {
      return null;
    }
    throw error;
  }
}

/** The first page (50 lines, no totals) of a query: wall and CPU seconds; null when refused. */
function firstPageSeconds(reader: Db, args: SearchArgs): { wall: number; cpu: number } | null {
  try {
    const cpu = process.cpuUsage();
    const wall = timed(() => search(reader, { ...args, limit: 50, totals: false }, searchControl({ budgetMs: QUERY_BUDGET_MS })), 1).seconds;
    const used = process.cpuUsage(cpu);
    return { wall, cpu: (used.user + used.system) / 1e6 };
  } catch (error) {
    if (isAppError(error) && (error.code === 'invalid_regex' || error.code === 'timeout')) {
      return null;
    }
    throw error;
  }
}

/** Indexes the corpus with the CLI (incremental when the database exists) and opens a reader. */
function indexWithCli(root: string): { reader: Db; stamp: string } {
  const dbPath = `/tmp/search-${basename(root).replace(/^corpus-/, '')}.sqlite`;
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(__dirname, '..', 'bin', 'gitbot.cjs'), 'index', root, '--db', dbPath], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`gitbot index failed: ${result.stderr}`);
  }
  console.log(`  ${result.stdout.trim().split('\n').at(-1) ?? ''} (whole process ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const reader = openConnection(dbPath, { mode: 'reader' });
  const stamp = JSON.stringify(reader.prepare('SELECT count(*) AS files, sum(size) AS bytes, max(mtime_ms) AS newest FROM files').get());
  return { reader, stamp };
}

async function benchCorpus(root: string): Promise<void> {
  console.log(`\n${root}`);
  const { reader, stamp } = indexWithCli(root);
  const queries = generateQueries(corpusLines(root), queryCount, seed);
  const answers = new RgAnswers(root, stamp, queries, { cache: CACHE, maxLines, budgetMs: QUERY_BUDGET_MS });
  console.log(`  rg: ${queries.length - answers.toRun} answers cached, ${answers.toRun} to run`);
  const verdicts: Verdict[] = [];
  const rgTimes: number[] = [];
  const pages = new Map<string, { wall: number; cpu: number }[]>();
  const started = performance.now();
  let oursSeconds = 0;
  let waitedSeconds = 0;
  for (const [index, query] of queries.entries()) {
    const searchStarted = performance.now();
    const mine = oursOutcome(reader, query);
    // The page after the full listing: its file pages are warm, as in an app searching as you type.
    const seconds = firstPageSeconds(reader, { query: query.query, mode: query.mode, ignoreCase: query.ignoreCase });
    if (seconds !== null) {
      const kind = kindOf(reader, query);
      pages.set(kind, [...(pages.get(kind) ?? []), seconds]);
    }
    oursSeconds += (performance.now() - searchStarted) / 1000;
    const waitStarted = performance.now();
    const theirs = await answers.answer(index);
    waitedSeconds += (performance.now() - waitStarted) / 1000;
    if ('seconds' in theirs && !theirs.truncated) {
      rgTimes.push(theirs.seconds);
    }
    verdicts.push(lineVerdict(query, mine, rgComparable(theirs)));
    if (verdicts.length % 100 === 0) {
      console.log(`  … ${verdicts.length} queries searched, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    // Lets rg's finished processes be replaced while the search works.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await answers.done;
  console.log(`  ${queries.length} queries: search ${oursSeconds.toFixed(0)} s in process; rg waited ${waitedSeconds.toFixed(0)} s more`);
  let agree = 0;
  let compared = 0;
  let byTotals = 0;
  const differing: string[] = [];
  const skipped: string[] = [];
  for (const verdict of verdicts.map((entry) => ('totalsOf' in entry ? totalsVerdict(root, reader, entry.totalsOf) : entry))) {
    if ('skipped' in verdict) {
      skipped.push(verdict.skipped);
    } else if ('compared' in verdict) {
      compared += 1;
      byTotals += verdict.compared === 'totals' ? 1 : 0;
      agree += verdict.differs === null ? 1 : 0;
      if (verdict.differs !== null) {
        differing.push(verdict.differs);
      }
    }
  }
  console.log(
    `  agreement with rg: ${agree} / ${compared} compared (${((100 * agree) / Math.max(compared, 1)).toFixed(1)}%; ${compared - byTotals} line by line, ${byTotals} by totals), ${skipped.length} of ${queries.length} not compared (seed ${seed})`,
  );
  for (const line of differing.slice(0, 20)) {
    console.log(`    differs: ${line}`);
  }
  for (const line of skipped.slice(0, 20)) {
    console.log(`    not compared: ${line}`);
  }
  console.log(`  first page (50 lines, no totals), in process: kind, queries, wall median / p90 / max, CPU median / p90 (rg whole process, median: ${ms(median(rgTimes))})`);
  for (const [kind, times] of pages) {
    const wall = times.map((time) => time.wall);
    const cpu = times.map((time) => time.cpu);
    console.log(
      `    ${kind.padEnd(16)} ${String(times.length).padStart(4)} ${ms(median(wall)).padStart(10)} ${ms(quantile(wall, 0.9)).padStart(10)} ${ms(Math.max(...wall)).padStart(10)}   CPU ${ms(median(cpu)).padStart(10)} ${ms(quantile(cpu, 0.9)).padStart(10)}`,
    );
  }
  console.log(`  load average: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  const snapshot = indexSnapshot(reader);
  console.log('  words mode first page (50 documents), in process:');
  for (const words of WORDS) {
    const { seconds, result } = timed(() => wordsSearch(reader, snapshot, { query: words, repoId: null, limit: 50, offset: 0 }));
    console.log(`    ${words.padEnd(12)} ${String(result.total).padStart(6)} documents ${ms(seconds).padStart(10)}`);
  }
  const useState = String.raw`use[A-Z]\w+State`;
  const firstResult = timed(() => search(reader, { query: useState, mode: 'regex', limit: 1, totals: false }));
  const firstPage = timed(() => search(reader, { query: useState, mode: 'regex', limit: 50, totals: false }));
  const rgUseState = timed(() => rgSeconds(root, useState));
  console.log(`  ${useState}: first result ${ms(firstResult.seconds)}, first page ${ms(firstPage.seconds)} in process; rg whole process ${ms(rgUseState.result)}`);
  const listingRuns = Math.min(runs, 2);
  const listing = timed(() => {
    let lines = 0;
    let cursor: string | undefined;
    do {
      const page = search(reader, { query: String.raw`\w+`, mode: 'regex', limit: 1000, totals: false, ...(cursor === undefined ? {} : { cursor }) });
      lines += page.matches.length;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return lines;
  }, listingRuns);
  const rgListing = timed(() => rgSeconds(root, String.raw`\w+`), listingRuns);
  console.log(
    `  \\w+ full listing (${listing.result} lines): ours ${listing.seconds.toFixed(2)} s in process, rg ${rgListing.result.toFixed(2)} s whole process, ratio ${(listing.seconds / rgListing.result).toFixed(2)} (median of ${listingRuns})`,
  );
  reader.close();
}

async function benchPathological(work: string): Promise<void> {
  const runsRoot = join(work, 'runs');
  mkdirSync(runsRoot);
  const lines = ['a'.repeat(41), `${'a'.repeat(20_000)}!`, 'x'.repeat(41), `${'x'.repeat(20_000)}!`, `${'a '.repeat(5000)}!`];
  for (let file = 0; file < 20; file += 1) {
    writeFileSync(join(runsRoot, `runs-${file}.txt`), `${lines.join('\n')}\nfunction plain(code) { return code; }\n`);
  }
  const dbPath = join(work, 'runs.sqlite');
  const writer = openWriter(dbPath);
  indexInProcess(writer, runsRoot);
  writer.close();
  const reader = openConnection(dbPath, { mode: 'reader' });
  console.log('\nPathological patterns on 20 files of long runs of a and x (medians): first page in process, full listing in process, rg whole process, lines');
  for (const pattern of PATHOLOGICAL) {
    const page = timed(() => search(reader, { query: pattern, mode: 'regex', limit: 50 }));
    const all = timed(() => {
      let found = 0;
      let cursor: string | undefined;
      do {
        const result = search(reader, { query: pattern, mode: 'regex', limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
        found += result.matches.length;
        cursor = result.nextCursor;
      } while (cursor !== undefined);
      return found;
    });
    const rg = timed(() => rgSeconds(runsRoot, pattern));
    console.log(`  ${pattern.padEnd(16)} ${ms(page.seconds).padStart(10)} ${ms(all.seconds).padStart(10)} ${ms(rg.result).padStart(10)} ${String(all.result).padStart(6)}`);
  }
  reader.close();
  await Promise.resolve();
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-agreement-'));
  try {
    for (const root of corpora.length > 0 ? corpora : ['/tmp/corpus-small', '/tmp/corpus-large']) {
      await benchCorpus(root);
    }
    await benchPathological(work);
    console.log(`\npeak RSS of this process: ${peakRssMb()} MB`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
