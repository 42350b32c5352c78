#!/usr/bin/env node
/**
 * npm run bench:memory — the memory of one long-lived core through a user's day (issue 11).
 *
 * Starts `gitbot serve` (the built CLI, default settings) on a fresh data folder and drives it
 * through the same RPC calls the dashboard makes: start; index small; index large; re-index with
 * 1% of the files changed; 200 paged searches (literal, regex, words); 10 full listings; 60 s
 * idle. While each phase runs, /proc/PID/status is sampled every 100 ms for the whole process's
 * RSS (anonymous and file-backed); at the end of each phase the core's own stats give each
 * thread's heap. Prints one row per phase next to the start-up figure and the seed's
 * MEMORY_THRESHOLD_MB, then checks the targets (printed, never asserted).
 *
 * Usage: node scripts/bench-memory.mjs [--small DIR] [--large DIR] [--idle SECONDS] [--json FILE]
 * Extra environment variables are passed to the core. It runs with the glibc tuning `gitbot serve`
 * gets from bin/gitbot.cjs (set here, so the measured pid is the core's own and not a launcher's);
 * pass e.g. MALLOC_ARENA_MAX=16 MALLOC_MMAP_THRESHOLD_=33554432 to compare without it.
 */
import { spawn } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { withMallocTuning } from './malloc-env.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({
  options: {
    small: { type: 'string', default: '/tmp/corpus-small' },
    large: { type: 'string', default: '/tmp/corpus-large' },
    idle: { type: 'string', default: '60' },
    json: { type: 'string' },
    phases: { type: 'string' },
  },
});
const MB = 1024 * 1024;
const mb = (bytes) => Math.round((bytes / MB) * 10) / 10;
const TARGET_PEAK_MB = 160;
// The threshold the core runs with: the seed's default unless the environment sets one.
const THRESHOLD_MB = Number(process.env.MEMORY_THRESHOLD_MB ?? 100);
const TARGET_IDLE_OVER_START_MB = 25;
const TARGET_LISTING_OVER_PAGED_MB = 20;

// ---------------------------------------------------------------------------------------------
// The core under test.

async function startCore(dataDir) {
  const child = spawn(process.execPath, [join(root, 'bin', 'gitbot.cjs'), 'serve', '--port', '0'], {
    // A long time budget: on a shared machine a page of a common query can take over the default
    // 10 s, and a timed-out page would end the run without its figures (override to compare).
    env: withMallocTuning({ SEARCH_TIMEOUT_MS: '300000', ...process.env, GITBOT_DATA_DIR: dataDir, GITBOT_DB: '', LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (stderr.length > 100_000) stderr = stderr.slice(-50_000);
  });
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolveUrl(new URL(line.trim()));
    });
    child.once('exit', (code) => reject(new Error(`gitbot serve exited with ${code}: ${stderr}`)));
  });
  const token = url.searchParams.get('token');
  const origin = url.origin;
  async function rpc(name, arg = {}, retried = false) {
    let response;
    try {
      response = await fetch(`${origin}/rpc/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(arg),
      });
    } catch (error) {
      // A kept-alive socket the server closed as the request went out: ask again once.
      if (!retried && error.cause?.code === 'UND_ERR_SOCKET') return rpc(name, arg, true);
      throw error;
    }
    const body = await response.json();
    if (!body.ok) throw new Error(`${name}: ${body.error.code}: ${body.error.message}`);
    return body.value;
  }
  return {
    pid: child.pid,
    rpc,
    origin,
    token,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    },
  };
}

/** The whole process's memory from the kernel: every thread, every allocator. */
function processMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: field('VmRSS'), anon: field('RssAnon'), file: field('RssFile') + field('RssShmem'), threads: Number(/^Threads:\s+(\d+)$/m.exec(status)?.[1] ?? 0) };
}

/** Samples the process every 100 ms while `work` runs; returns the peak and the last figures. */
async function measure(core, work) {
  let peak = processMemory(core.pid);
  const timer = setInterval(() => {
    const now = processMemory(core.pid);
    if (now.rss > peak.rss) peak = now;
  }, 100);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - started) / 1000;
  const end = processMemory(core.pid);
  if (end.rss > peak.rss) peak = end;
  return { peak, end, seconds };
}

/** Each thread's heap as the core reports it (its stats event). */
async function threadHeaps(core) {
  const health = await core.rpc('getHealth');
  const [sample] = (await core.rpc('getStatsHistory', { seconds: 5 })).slice(-1);
  const heaps = { main: sample?.main.heapUsed ?? 0 };
  for (const worker of sample?.workers ?? []) heaps[worker.name] = worker.heapUsed;
  return { heaps, health };
}

async function waitForTask(core, taskId) {
  for (;;) {
    const task = (await core.rpc('listTasks')).find((candidate) => candidate.id === taskId);
    if (task !== undefined && ['completed', 'failed', 'cancelled'].includes(task.status)) {
      if (task.status !== 'completed') throw new Error(`task ${taskId} ${task.status}: ${task.error}`);
      return task;
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}

async function index(core, path) {
  const { taskId } = await core.rpc('startIndexing', { path });
  await waitForTask(core, taskId);
}

// ---------------------------------------------------------------------------------------------
// The work.

const pagedQueries = {
  literal: ['return', 'function', 'const ', 'import', 'export default', 'this.', 'undefined', 'length', 'prototype', 'require('],
  regex: ['use[A-Z]\\w+', 'function\\s+\\w+\\(', '\\bconst\\s+\\w+\\s*=', 'import .* from', '\\d{3,}', 'throw new \\w+Error', 'https?://\\S+', 'if \\(\\w+\\)', '\\.then\\(', 'async \\w+'],
  words: ['return value', 'error message', 'function call', 'module exports', 'default export', 'test case', 'array length', 'string value', 'object key', 'promise resolve'],
};

/** 200 paged searches: each query's first page and the pages after it, a third of each mode. */
async function pagedSearches(core, count) {
  const modes = Object.keys(pagedQueries);
  let done = 0;
  let pageOf = 0;
  while (done < count) {
    for (const mode of modes) {
      const queries = pagedQueries[mode];
      const query = queries[Math.floor(done / modes.length) % queries.length];
      const page = await pageSearch(core, { query, mode, limit: 100 }, pageOf);
      void page;
      done++;
      if (done >= count) break;
    }
    pageOf = (pageOf + 1) % 5;
  }
}

/** Page number `pageOf` of a query: by cursor where the API has one, else by offset. */
async function pageSearch(core, arg, pageOf) {
  let page = await core.rpc('search', arg);
  for (let next = 0; next < pageOf; next++) {
    if (typeof page.nextCursor === 'string') page = await core.rpc('search', { ...arg, cursor: page.nextCursor });
    else if (typeof page.nextOffset === 'number') page = await core.rpc('search', { ...arg, offset: page.nextOffset });
    else break;
  }
  return page;
}

const listings = [
  { query: 'return', mode: 'literal' },
  { query: 'function', mode: 'literal' },
  { query: 'const', mode: 'literal' },
  { query: 'this', mode: 'literal' },
  { query: 'if', mode: 'literal' },
  { query: 'export', mode: 'literal' },
  { query: 'var', mode: 'literal' },
  { query: 'the', mode: 'literal' },
  { query: 'value', mode: 'literal' },
  { query: '\\w+', mode: 'regex' },
];

/**
 * A full listing: the streamed route when the core has one (NDJSON, read and dropped as it
 * arrives, like a client that writes it out), else one `search` with `limit: 0`.
 */
async function fullListing(core, arg) {
  const streamed = await fetch(`${core.origin}/stream/search`, {
    method: 'POST',
    headers: { authorization: `Bearer ${core.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(arg),
  });
  if (streamed.ok && (streamed.headers.get('content-type') ?? '').includes('ndjson')) {
    let bytes = 0;
    let tail = '';
    const started = performance.now();
    for await (const chunk of streamed.body) {
      bytes += chunk.length;
      tail = (tail + Buffer.from(chunk).toString('utf8')).slice(-4096);
    }
    const last = JSON.parse(tail.trimEnd().split('\n').at(-1));
    if (last.done !== true) throw new Error(`after ${last.written} lines: ${last.error?.message ?? 'no end line'}`);
    process.stderr.write(`  ${arg.query}: ${last.written} lines, ${mb(bytes)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return { route: 'stream', bytes };
  }
  await streamed.body?.cancel();
  const page = await core.rpc('search', { ...arg, limit: 0 });
  return { route: 'rpc', matches: page.matches.length };
}

// ---------------------------------------------------------------------------------------------
// A changed copy of the large corpus: hard links, 1% of the files rewritten (new inodes).

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

function hardLinkTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) hardLinkTree(source, target);
    else if (entry.isFile()) linkSync(source, target);
  }
}

/** Rewrites every 100th file (a new inode, so the shared corpus is untouched); returns how many. */
function changeOnePercent(dir) {
  let seen = 0;
  let changed = 0;
  for (const path of files(dir)) {
    if (seen++ % 100 !== 0) continue;
    const text = readFileSync(path);
    const temporary = `${path}.bench-tmp`;
    writeFileSync(temporary, Buffer.concat([text, Buffer.from('\n// changed by bench-memory\n')]));
    renameSync(temporary, path);
    changed++;
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  for (const dir of [options.small, options.large]) {
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`${dir} is missing: build it with ../shared/bench/make-corpus.sh ${dir} small|large`);
    }
  }
  const work = mkdtempSync(join(tmpdir(), 'gitbot-bench-memory-'));
  const large = join(work, 'corpus-large');
  hardLinkTree(options.large, large);
  const core = await startCore(join(work, 'data'));
  const idleSeconds = Number(options.idle);
  const only = options.phases === undefined ? null : new Set(options.phases.split(','));
  const rows = [];
  async function phase(name, run) {
    if (only !== null && !only.has(name) && name !== 'start') return;
    const figures = await measure(core, run);
    const { heaps, health } = await threadHeaps(core);
    rows.push({ name, ...figures, heaps, status: health.status, reasons: health.reasons });
    const row = rows.at(-1);
    process.stderr.write(`${name}: peak ${mb(row.peak.rss)} MB, end ${mb(row.end.rss)} MB (anon ${mb(row.end.anon)}, file ${mb(row.end.file)}), ${row.seconds.toFixed(1)} s, ${health.status}\n`);
  }
  try {
    await phase('start', () => new Promise((done) => setTimeout(done, 2000)));
    await phase('index small', () => index(core, options.small));
    await phase('index large', () => index(core, large));
    await phase('re-index 1%', async () => {
      const changed = changeOnePercent(large);
      process.stderr.write(`  ${changed} files changed\n`);
      await index(core, large);
    });
    await phase('200 paged searches', () => pagedSearches(core, 200));
    const routes = new Set();
    const failures = [];
    await phase('10 full listings', async () => {
      for (const listing of listings) {
        try {
          const result = await fullListing(core, listing);
          routes.add(result.route);
        } catch (error) {
          failures.push(`${listing.query}: ${error.message}`);
        }
      }
    });
    for (const failure of failures) process.stderr.write(`  full listing failed: ${failure}\n`);
    await phase(`${idleSeconds} s idle`, () => new Promise((done) => setTimeout(done, idleSeconds * 1000)));
    print(rows, [...routes]);
    if (options.json !== undefined) writeFileSync(options.json, JSON.stringify(rows, null, 2));
  } finally {
    await core.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function print(rows, routes) {
  const start = rows[0];
  const threads = [...new Set(rows.flatMap((row) => Object.keys(row.heaps)))];
  const header = ['phase', 'seconds', 'peak RSS', 'end RSS', 'anon', 'file', 'threads', 'Δ start', 'threshold', ...threads.map((name) => `heap ${name}`), 'health'];
  const lines = rows.map((row) => [
    row.name,
    row.seconds.toFixed(1),
    mb(row.peak.rss),
    mb(row.end.rss),
    mb(row.end.anon),
    mb(row.end.file),
    row.end.threads,
    `${mb(row.end.rss - start.end.rss) >= 0 ? '+' : ''}${mb(row.end.rss - start.end.rss)}`,
    THRESHOLD_MB,
    ...threads.map((name) => (row.heaps[name] === undefined ? '-' : mb(row.heaps[name]))),
    row.status,
  ]);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => ' --- ').join('|')}|`);
  for (const line of lines) console.log(`| ${line.join(' | ')} |`);
  const peak = Math.max(...rows.map((row) => row.peak.rss));
  const paged = rows.find((row) => row.name.includes('paged'));
  const listing = rows.find((row) => row.name.includes('full listings'));
  const idle = rows.at(-1);
  console.log('');
  console.log(`Start-up RSS ${mb(start.end.rss)} MB (anon ${mb(start.end.anon)}, file ${mb(start.end.file)}); MEMORY_THRESHOLD_MB ${THRESHOLD_MB}.`);
  console.log(`Full listings through: ${routes.join(', ') || 'n/a'}.`);
  const verdict = (ok) => (ok ? 'met' : 'MISSED');
  console.log(`Target peak ≤ ${TARGET_PEAK_MB} MB in every phase: highest ${mb(peak)} MB — ${verdict(mb(peak) <= TARGET_PEAK_MB)}`);
  console.log(
    `Target after idle ≤ start-up + ${TARGET_IDLE_OVER_START_MB} MB: ${mb(idle.end.rss)} MB vs ${mb(start.end.rss + TARGET_IDLE_OVER_START_MB * MB)} MB — ${verdict(idle.end.rss <= start.end.rss + TARGET_IDLE_OVER_START_MB * MB)}`,
  );
  if (paged !== undefined && listing !== undefined) {
    console.log(
      `Target full listings' peak ≤ paged peak + ${TARGET_LISTING_OVER_PAGED_MB} MB: ${mb(listing.peak.rss)} MB vs ${mb(paged.peak.rss + TARGET_LISTING_OVER_PAGED_MB * MB)} MB — ${verdict(listing.peak.rss <= paged.peak.rss + TARGET_LISTING_OVER_PAGED_MB * MB)}`,
    );
  }
}

await main();
