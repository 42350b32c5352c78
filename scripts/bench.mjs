/**
 * `npm run bench [-- CORPUS_DIR...] [--runs N] [--skip-pool] [--builds N] [--build-only]`: the indexing and search benchmark of
 * issue 3, in one run. Builds the bundle first when it is stale (workers run bundled), then for
 * each corpus (default /tmp/corpus-large, made with ../shared/bench/make-corpus.sh when missing)
 * prints side by side: raw read speed of the same files, our index build (time, MB/s of indexed
 * text, peak RSS of the whole process, database size), per query our in-process latency (median,
 * first page and full), our CLI's and rg's whole-process times with both hit counts, then a
 * re-index after touching 1% of the files N times (on a copy) and the pool benchmark. Each build is
 * shown next to Russ Cox's `cindex` (Debian codesearch) indexing the same corpus into a temporary file
 * (CSEARCHINDEX), timed the same way, with its peak RSS (GNU time) and the ratio of the two speeds.
 * Every step runs in a fresh process, so each peak RSS is that step's own. `--builds N` repeats the
 * raw read and the build N times per corpus, interleaved, and reports the median run (by MB/s);
 * `--build-only` skips the queries, the re-index runs and the pool benchmark. Last, the one-shot CLI
 * against rg and csearch (on a cindex index of the same corpus) for a no-hit, a rare literal and a
 * rare regex: hyperfine, whole process, `--hyperfine-runs N` runs (default 5) after one warm-up.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// Each step runs with the glibc malloc tuning `gitbot index` and the app run with, so the peak
// RSS is the product's (bin/malloc-tuning.cjs measured 136 against 117 MB for a large build).
const { withMallocTuning } = createRequire(import.meta.url)('../bin/malloc-tuning.cjs');
const MIB = 1024 * 1024;
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : fallback;
};
const corpora = argv.filter((value, index) => !value.startsWith('--') && !['--runs', '--builds', '--hyperfine-runs'].includes(argv[index - 1] ?? ''));
if (corpora.length === 0) {
  corpora.push('/tmp/corpus-large');
}
const buildOnly = flag('build-only');
const runs = buildOnly ? 0 : Number(option('runs', '10'));
const builds = Math.max(1, Number(option('builds', '1')));
const repeats = 5;
const hyperfineRuns = Math.max(5, Number(option('hyperfine-runs', '5')));

/** The one-shot rows: where start-up is most of the work, so our CLI must be no slower than rg. */
const ONE_SHOT = [
  { name: 'no hit', query: 'zqxjkvbwpy', regex: false },
  { name: 'rare literal', query: 'createElementNS', regex: false },
  { name: 'rare regex', query: 'createElement\\w*NS', regex: true },
];

/** The query set: literal, rare literal, common word (literal and words mode), regexes, case-insensitive, no hit. */
const QUERIES = JSON.parse(readFileSync(join(root, 'scripts', 'bench-queries.json'), 'utf8'));

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBundle() {
  const bundle = join(root, 'out/main/index-reader-worker.js');
  const sources = Math.max(newestMtime(join(root, 'src/main')), newestMtime(join(root, 'src/shared')));
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources && existsSync(join(root, 'out/main/cli.js'))) {
    return;
  }
  console.log('Building the bundle (out/ is stale)...');
  execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

function ensureCorpus(dir) {
  if (existsSync(dir)) {
    return;
  }
  console.log(`Building the corpus ${dir} (a few minutes)...`);
  execFileSync('bash', [join(root, '../shared/bench/make-corpus.sh'), dir, dir.includes('small') ? 'small' : 'large'], { stdio: 'inherit' });
}

/** A Node walk that only reads the files the index would read (at most 1 MiB, no .git). */
function rawRead(dir) {
  const started = performance.now();
  let bytes = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const folder = stack.pop();
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.name === '.git') {
        continue;
      }
      if (entry.isDirectory()) {
        stack.push(path);
      } else if (entry.isFile() && statSync(path).size <= MIB) {
        bytes += readFileSync(path).length;
      }
    }
  }
  return { bytes, seconds: (performance.now() - started) / 1000 };
}

function step(args) {
  const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', join(root, 'scripts/bench-index.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * MIB,
    env: withMallocTuning(process.env),
  });
  if (result.status !== 0) {
    throw new Error(`bench-index ${args[0]} failed: ${result.stderr}`);
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

function timed(command, args, options) {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1024 * MIB, ...options });
  return { ms: performance.now() - started, result };
}

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Our CLI, whole process: `gitbot search ... --limit 0 --json`, one line per hit. */
function cli(dbPath, query) {
  const args = [join(root, 'out/main/cli.js'), 'search', query.query, '--limit', '0', '--json', '--db', dbPath];
  if (query.mode === 'regex') args.push('--regex');
  if (query.mode === 'words') args.push('--words');
  if (query.ignoreCase) args.push('--ignore-case');
  const times = [];
  let hits = 0;
  for (let repeat = 0; repeat < 3; repeat += 1) {
    const { ms, result } = timed(process.execPath, args, {});
    times.push(ms);
    hits = result.stdout.split('\n').filter(Boolean).length;
  }
  return { ms: median(times), hits };
}

/** rg, whole process, counting matching lines (words mode: whole words ignoring case, lines not documents). */
function rg(corpus, query) {
  const args = ['--no-config', '--hidden', '--max-filesize', '1M', '-g', '!.git', '-c', '--no-filename'];
  if (query.mode === 'literal') args.push('-F');
  if (query.mode === 'words') args.push('-F', '-w', '-i');
  if (query.ignoreCase) args.push('-i');
  args.push('-e', query.query, '.');
  const times = [];
  let hits = 0;
  for (let repeat = 0; repeat < 3; repeat += 1) {
    const { ms, result } = timed('rg', args, { cwd: corpus });
    times.push(ms);
    hits = result.stdout
      .split('\n')
      .filter(Boolean)
      .reduce((sum, line) => sum + Number(line), 0);
  }
  return { ms: median(times), hits };
}

function table(header, rows) {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => String(row[column]).length)));
  const line = (cells) => `| ${cells.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ')} |`;
  console.log(line(header));
  console.log(`| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`);
  for (const row of rows) console.log(line(row));
}

const fixed = (value, digits = 1) => (typeof value === 'number' ? value.toFixed(digits) : value);

/** One raw read and one build of `corpus` into a fresh database in `work` (its own per corpus and attempt). */
function buildOnce(corpus, work, attempt, corpusIndex) {
  const dbPath = join(work, `index-${corpusIndex}-${attempt}.sqlite`);
  // The raw read right before the build, so both see the same load; the first pass warms the
  // page cache (a fresh corpus reads at disk speed), as the index build that follows it does.
  rawRead(corpus);
  const raw = rawRead(corpus);
  const build = step(['build', corpus, dbPath]);
  const rawMbPerSec = raw.bytes / MIB / raw.seconds;
  console.log(
    `  build ${attempt + 1}: ${build.seconds.toFixed(2)} s = ${build.mbPerSec.toFixed(1)} MB/s (raw read ${rawMbPerSec.toFixed(0)} MB/s, ratio ${(build.mbPerSec / rawMbPerSec).toFixed(3)}), ` +
      `peak RSS ${(build.peakRss / MIB).toFixed(0)} MB, load ${loadavg()[0].toFixed(2)}; ${build.log.join('; ')}`,
  );
  const cindex = cindexOnce(corpus, work, attempt, corpusIndex);
  return { dbPath, raw, build, cindex };
}

/** `cindex` on the same corpus, into a fresh index file in `work`: seconds, peak RSS, bytes it indexed, index size. */
function cindexOnce(corpus, work, attempt, corpusIndex) {
  const indexPath = join(work, `csearch-${corpusIndex}-${attempt}.idx`);
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'PEAK_RSS_KB %M', 'cindex', corpus], { encoding: 'utf8', env: { ...process.env, CSEARCHINDEX: indexPath } });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    return null;
  }
  const dataBytes = Number(/(\d+) data bytes/.exec(result.stderr)?.[1] ?? 0);
  const peakRss = Number(/PEAK_RSS_KB (\d+)/.exec(result.stderr)?.[1] ?? 0) * 1024;
  const indexBytes = existsSync(indexPath) ? statSync(indexPath).size : 0;
  rmSync(indexPath, { force: true });
  console.log(`  cindex ${attempt + 1}: ${seconds.toFixed(2)} s = ${(dataBytes / MIB / seconds).toFixed(1)} MB/s, peak RSS ${(peakRss / MIB).toFixed(0)} MB, load ${loadavg()[0].toFixed(2)}`);
  return { seconds, mbPerSec: dataBytes / MIB / seconds, peakRss, dataBytes, indexBytes };
}

function medianBy(values, key) {
  const sorted = values.filter((value) => value !== null).sort((left, right) => key(left) - key(right));
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

function benchCorpus(corpus, attempts) {
  const ordered = [...attempts].sort((left, right) => left.build.mbPerSec - right.build.mbPerSec);
  const chosen = ordered[Math.floor(ordered.length / 2)];
  const { dbPath, raw, build } = chosen;
  const cindex = medianBy(
    attempts.map((attempt) => attempt.cindex),
    (entry) => entry.mbPerSec,
  );
  const peaks = attempts.map((attempt) => attempt.build.peakRss).sort((left, right) => left - right);
  const medianPeak = peaks[Math.floor(peaks.length / 2)];
  if (buildOnly) {
    return { corpus, dbPath, raw, build, cindex, medianPeak, segments: build.segments, rows: [] };
  }
  const queries = step(['queries', dbPath, '--repeats', String(repeats)]);
  const rows = queries.results.map((ours, index) => {
    const query = QUERIES[index];
    return { ...ours, cli: cli(dbPath, query), rg: rg(corpus, query) };
  });
  return { corpus, dbPath, raw, build, cindex, medianPeak, segments: queries.segments, rows };
}

function incremental(corpus) {
  const work = mkdtempSync(join(tmpdir(), 'gitbot-bench-incremental-'));
  const copy = join(work, 'corpus');
  cpSync(corpus, copy, { recursive: true, verbatimSymlinks: true });
  // The database may not live in a folder above the indexed one.
  mkdirSync(join(work, 'db'));
  const dbPath = join(work, 'db', 'index.sqlite');
  const first = step(['build', copy, dbPath]);
  const unchanged = step(['incremental', copy, dbPath, '--runs', '3', '--touch', '0']);
  const result = step(['incremental', copy, dbPath, '--runs', String(runs), '--touch', '0.01']);
  rmSync(work, { recursive: true, force: true });
  return { first, unchanged: unchanged.runs, runs: result.runs };
}

ensureBundle();
console.log(
  `Machine: ${availableParallelism()} cores, load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(', ')} (shared and noisy: read medians and ratios).`,
);
const work = mkdtempSync(join(tmpdir(), 'gitbot-bench-'));
corpora.forEach(ensureCorpus);
const attempts = corpora.map(() => []);
for (let attempt = 0; attempt < builds; attempt += 1) {
  corpora.forEach((corpus, index) => {
    console.log(`Benchmarking ${corpus}...`);
    attempts[index].push(buildOnce(corpus, work, attempt, index));
  });
}
const results = corpora.map((corpus, index) => benchCorpus(corpus, attempts[index]));
const names = results.map((result) => result.corpus);
console.log('\nIndex build (workers bundled from out/main):');
table(
  ['What', ...names],
  [
    ['Text files (<= 1 MiB)', ...results.map((r) => `${fixed(r.raw.bytes / MIB)} MB`)],
    ['Raw read (Node walk + readFileSync, warm)', ...results.map((r) => `${fixed(r.raw.bytes / MIB / r.raw.seconds)} MB/s`)],
    ['Index build, end to end', ...results.map((r) => `${fixed(r.build.seconds, 2)} s = ${fixed(r.build.mbPerSec)} MB/s`)],
    ['Build / raw read speed', ...results.map((r) => fixed(r.build.mbPerSec / (r.raw.bytes / MIB / r.raw.seconds), 3))],
    ['Indexed text / documents', ...results.map((r) => `${fixed(r.build.summary.bytes_indexed / MIB)} MB / ${r.build.summary.documents}`)],
    ['Skipped', ...results.map((r) => JSON.stringify(r.build.summary.files_skipped))],
    ['Peak RSS, whole process', ...results.map((r) => `${fixed(r.build.peakRss / MIB, 0)} MB`)],
    ['Peak RSS, median of the builds', ...results.map((r) => `${fixed(r.medianPeak / MIB, 0)} MB`)],
    ['Database (db + WAL)', ...results.map((r) => `${fixed(r.build.dbBytes / MIB)} MB`)],
    ['Segments after the build', ...results.map((r) => r.segments)],
    [
      'cindex, same corpus (median by MB/s)',
      ...results.map((r) => (r.cindex === null ? 'not run' : `${fixed(r.cindex.seconds, 2)} s = ${fixed(r.cindex.mbPerSec)} MB/s of ${fixed(r.cindex.dataBytes / MIB)} MB`)),
    ],
    ['cindex peak RSS / index file', ...results.map((r) => (r.cindex === null ? '' : `${fixed(r.cindex.peakRss / MIB, 0)} MB / ${fixed(r.cindex.indexBytes / MIB)} MB`))],
    ['Our speed / cindex speed', ...results.map((r) => (r.cindex === null ? '' : fixed(r.build.mbPerSec / r.cindex.mbPerSec, 2)))],
    ['Pipeline', ...results.map((r) => r.build.log.join('; '))],
  ],
);
if (results.length > 1) {
  const [small, large] = [results[0], results.at(-1)];
  console.log(`Peak RSS ratio ${large.corpus} / ${small.corpus} (medians): ${(large.medianPeak / small.medianPeak).toFixed(2)}`);
}
for (const result of results.filter((entry) => entry.rows.length > 0)) {
  console.log(`\nQueries on ${result.corpus} (ours in process: median of ${repeats}, cache cleared; CLI and rg: whole process, median of 3):`);
  table(
    ['Query', 'First page ms', 'Full ms', 'Our hits', 'CLI ms', 'CLI hits', 'rg ms', 'rg hits'],
    result.rows.map((row) => [
      `${row.name} \`${row.query}\``,
      fixed(row.firstMs),
      fixed(row.fullMs),
      row.hits,
      fixed(row.cli.ms, 0),
      row.cli.hits,
      fixed(row.rg.ms, 0),
      row.mode === 'words' ? `${row.rg.hits} lines` : row.rg.hits,
    ]),
  );
}
if (runs > 0) {
  const corpus = corpora.at(-1);
  console.log(`\nRe-index after touching 1% of the files, ${runs} times (a copy of ${corpus}):`);
  const { first, unchanged, runs: incremental_ } = incremental(corpus);
  const nothing = median(unchanged.map((run) => run.seconds));
  const onePercent = median(incremental_.map((run) => run.seconds));
  console.log(`full build of the copy: ${fixed(first.seconds, 2)} s`);
  console.log(`nothing changed: ${unchanged.map((run) => fixed(run.seconds, 2)).join(' / ')} s, median ${fixed(nothing, 2)} = ${fixed(nothing / first.seconds, 3)} of the full build (target <= 0.1)`);
  console.log(`1% changed: median ${fixed(onePercent, 2)} s = ${fixed(onePercent / first.seconds, 3)} of the full build (target <= 0.2)`);
  table(
    ['Run', 'Touched', 'Re-index s', 'Indexed', 'Segments', 'literal first page ms', 'literal full ms', 'rare literal ms'],
    incremental_.map((run) => [run.run, run.touched, fixed(run.seconds, 2), run.indexed, run.segments, fixed(run.literalFirstMs), fixed(run.literalFullMs), fixed(run.rareMs)]),
  );
}
/** hyperfine's median, user and system seconds of each command, in the order given. */
function hyperfine(commands, options) {
  const exported = join(work, 'hyperfine.json');
  const result = spawnSync('hyperfine', ['-N', '-i', '--runs', String(hyperfineRuns), '--warmup', '1', '--export-json', exported, ...commands], { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`hyperfine failed: ${result.stderr}`);
  }
  return JSON.parse(readFileSync(exported, 'utf8')).results.map((entry) => ({ median: entry.median, user: entry.user, system: entry.system }));
}

function oneShot(result) {
  const indexPath = join(work, 'csearch-one-shot.idx');
  const env = { ...process.env, CSEARCHINDEX: indexPath };
  const indexed = spawnSync('cindex', [result.corpus], { encoding: 'utf8', env }).status === 0;
  console.log(`\nOne-shot search on ${result.corpus}, whole process, hyperfine median of ${hyperfineRuns} (1 warm-up), load ${loadavg()[0].toFixed(2)}:`);
  const cell = (time) => `${fixed(time.median * 1000, 0)} ms (user ${fixed(time.user * 1000, 0)}, sys ${fixed(time.system * 1000, 0)})`;
  table(
    ['Query', 'gitbot search', 'rg', 'csearch', 'gitbot / rg'],
    ONE_SHOT.map((query) => {
      // hyperfine -N splits commands like a shell: single quotes keep the regex's backslashes.
      const quoted = `'${query.query}'`;
      const ours = `${process.execPath} ${join(root, 'bin/gitbot.cjs')} search ${quoted} --db ${result.dbPath} --limit 0${query.regex ? ' --regex' : ''}`;
      const rgCommand = `rg --no-config --hidden --max-filesize 1M -g !.git${query.regex ? '' : ' -F'} ${quoted} .`;
      const commands = [ours, rgCommand, ...(indexed ? [`csearch ${quoted}`] : [])];
      const [gitbot, rgTime, csearch] = hyperfine(commands, { cwd: result.corpus, env });
      return [`${query.name} \`${query.query}\``, cell(gitbot), cell(rgTime), csearch === undefined ? 'not run' : cell(csearch), fixed(gitbot.median / rgTime.median, 2)];
    }),
  );
  rmSync(indexPath, { force: true });
}

if (!buildOnly) {
  oneShot(results.at(-1));
}
if (!flag('skip-pool') && !buildOnly) {
  const last = results.at(-1);
  console.log(`\nReader pool benchmark (scripts/bench-pool.ts) on ${last.dbPath}:`);
  spawnSync(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', join(root, 'scripts/bench-pool.ts'), '--db', last.dbPath, '--corpus', last.corpus, '--workers', 'bundled'], {
    cwd: root,
    stdio: 'inherit',
  });
}
rmSync(work, { recursive: true, force: true });
