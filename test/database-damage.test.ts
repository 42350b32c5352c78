import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, openSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/main/cli/run-cli';
import { startLoopbackServer } from '../src/main/core/server/loopback-server';
import { damagedMessage, openMarkerPath, readOnlyMessage } from '../src/main/core/db/integrity-check';
import { indexThroughApi, valueOf } from './helpers/core-api';
import { killWhenPrinted } from './helpers/kill-child';
import { generateRepo, makeTempDir, random } from './helpers/make-repo';
import { captureIo, configureTestBundle, createTestCore, type TestCore } from './helpers/test-core';

let temp: ReturnType<typeof makeTempDir>;
let repo: string;
let dataDir: string;
let dbPath: string;
let core: TestCore | undefined;

/** A threshold far over what the test process holds, so health shows only the database's reasons. */
const quietMemory = { MEMORY_THRESHOLD_MB: '4096' };

beforeEach(async () => {
  configureTestBundle();
  temp = makeTempDir('gitbot-damage-');
  repo = join(temp.path, 'repo');
  dataDir = join(temp.path, 'data');
  dbPath = join(dataDir, 'index.sqlite');
  // Enough text for a database of several hundred pages, most of them documents.
  generateRepo(repo, { files: 120, lines: 200 });
  const indexed = await cli(['index', repo, '--db', dbPath, '--json']);
  expect(indexed.code).toBe(0);
});

afterEach(async () => {
  await core?.close();
  core = undefined;
  temp.remove();
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = captureIo({ GITBOT_DATA_DIR: dataDir, ...quietMemory }, temp.path);
  const code = await runCli(args, run.io);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/**
 * Overwrites the middle fifth of the file's pages (or of one table's pages) with seeded garbage,
 * as a bad disk or a torn write would.
 */
function damageMiddlePages(path: string, table?: string): void {
  const pageSize = 4096;
  const all = Array.from({ length: statSync(path).size / pageSize }, (_, index) => index + 1);
  const pages = table === undefined ? all : tablePages(path, table);
  const next = random(7);
  const fd = openSync(path, 'r+');
  try {
    for (const page of pages.slice(Math.floor(pages.length * 0.4), Math.floor(pages.length * 0.6))) {
      const garbage = Buffer.alloc(pageSize);
      for (let offset = 0; offset < pageSize; offset += 1) garbage[offset] = Math.floor(next() * 256);
      writeSync(fd, garbage, 0, pageSize, (page - 1) * pageSize);
    }
  } finally {
    closeSync(fd);
  }
}

/** The pages of one table's b-tree, in file order (SQLite's dbstat). */
function tablePages(path: string, table: string): number[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno').pluck().all(table) as number[];
  } finally {
    db.close();
  }
}

/** What SQLite itself says about the file, as the message quotes it: quick_check's lines, schema headers dropped. */
function quickCheckDetail(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('PRAGMA quick_check(3)').pluck().all() as string[];
    const lines = rows.flatMap((row) => row.split('\n')).filter((line) => line !== '' && !line.startsWith('***'));
    expect(lines.length).toBeGreaterThan(0);
    return `quick_check: ${lines.join('; ')}`;
  } finally {
    db.close();
  }
}

const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every file of the repository and its content, to prove none was touched. */
function repositoryDigest(): string {
  const hash = createHash('sha256');
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      hash.update(path);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) hash.update(readFileSync(path));
    }
  };
  walk(repo);
  return hash.digest('hex');
}

describe('a database damaged mid-file', () => {
  it('after a crash, quick_check finds it at open: CLI and API say so with the way out, and nothing is lost', async () => {
    // A real core killed with -9 leaves its open marker behind, as any crash does.
    await killWhenPrinted('crash-core-child.ts', [dbPath], 'open');
    expect(existsSync(openMarkerPath(dbPath))).toBe(true);
    damageMiddlePages(dbPath);
    const damaged = digest(dbPath);
    const files = repositoryDigest();
    const message = damagedMessage(dbPath, quickCheckDetail(dbPath));
    expect(message).toBe(
      `The database ${dbPath} is damaged (${quickCheckDetail(dbPath)}). The index is derived from your files: ` +
        'move the database away with its -wal and -shm files, then run "gitbot index <folder>" for each repository to rebuild it.',
    );

    const health = await cli(['health', '--db', dbPath]);
    expect(health.code).toBe(0);
    expect(health.stdout.split('\n')[0]).toBe(`status: unhealthy (${message})`);
    const json = await cli(['health', '--db', dbPath, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'unhealthy', reasons: [message] });
    expect(await cli(['index', repo, '--db', dbPath])).toEqual({ code: 1, stdout: '', stderr: `gitbot index: ${message}\n` });

    core = createTestCore({ GITBOT_DB: dbPath, ...quietMemory }, { logToFile: false });
    const report = await valueOf(core.core.api.getHealth({}));
    expect(report.status).toBe('unhealthy');
    expect(report.reasons).toEqual([message]);
    const refused = { ok: false, error: { code: 'database_error', message } };
    expect(await core.core.api.startIndexing({ path: repo })).toEqual(refused);
    expect(await core.core.api.search({ query: 'function', mode: 'literal', limit: 10 })).toEqual(refused);
    expect(await core.core.api.removeRepository({ repo })).toEqual(refused);
    // The same over HTTP, as the browser dashboard and monitoring scripts see it.
    const server = await startLoopbackServer({ core: core.core, port: 0 });
    try {
      const headers = { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
      expect(await (await fetch(`${server.origin}/health`, { headers })).json()).toMatchObject({ status: 'unhealthy', reasons: [message] });
      const started = await fetch(`${server.origin}/rpc/startIndexing`, { method: 'POST', headers, body: JSON.stringify({ path: repo }) });
      expect(await started.json()).toEqual(refused);
    } finally {
      await server.dispose();
    }
    await core.close();
    core = undefined;

    // Nothing else is lost: the damaged file is as it was (for a look or a recovery), the
    // repository untouched, and the marker kept, so the next start checks again.
    expect(digest(dbPath)).toBe(damaged);
    expect(repositoryDigest()).toBe(files);
    expect(existsSync(openMarkerPath(dbPath))).toBe(true);

    // The way out the message gives works.
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(`${dbPath}${suffix}`)) renameSync(`${dbPath}${suffix}`, join(temp.path, `damaged.sqlite${suffix}`));
    }
    expect((await cli(['index', repo, '--db', dbPath, '--json'])).code).toBe(0);
    const found = await cli(['search', 'function', '--db', dbPath, '--limit', '1']);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain('function');
    expect((await cli(['health', '--db', dbPath])).stdout.split('\n')[0]).toBe('status: healthy');
    expect(existsSync(openMarkerPath(dbPath))).toBe(false);
    expect(digest(join(temp.path, 'damaged.sqlite'))).toBe(damaged);
  });

  it('gitbot health leaves the page check to a core that holds the database, and makes it once that core is gone', async () => {
    damageMiddlePages(dbPath);
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'helpers', 'crash-core-child.ts'), dbPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('open') && resolve()));
      // The running core checked the file at its start and watches every statement; a one-shot need not read every page.
      expect((await cli(['health', '--db', dbPath])).stdout.split('\n')[0]).toBe('status: healthy');
      // A second core opens it without a check too, and leaves the first core's marker to it.
      core = createTestCore({ GITBOT_DB: dbPath, ...quietMemory }, { logToFile: false });
      expect((await valueOf(core.core.api.getHealth({}))).status).toBe('healthy');
      await core.close();
      core = undefined;
      expect(readFileSync(openMarkerPath(dbPath), 'utf8')).toBe(`${child.pid}\n`);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const message = damagedMessage(dbPath, quickCheckDetail(dbPath));
    expect((await cli(['health', '--db', dbPath])).stdout.split('\n')[0]).toBe(`status: unhealthy (${message})`);
  });

  it('without a crash, the first statement that meets the damage marks it: search says so, then health and indexing', async () => {
    damageMiddlePages(dbPath);
    // The one-shot CLI search reads in its own process: SQLite's SQLITE_CORRUPT becomes the message.
    const message = damagedMessage(dbPath, 'database disk image is malformed');
    expect(await cli(['search', 'function', '--db', dbPath])).toEqual({ code: 1, stdout: '', stderr: `gitbot search: ${message}\n` });

    core = createTestCore({ GITBOT_DB: dbPath, ...quietMemory }, { logToFile: false });
    // No crash, so no check at open: the file looks sound until a reader meets the damage.
    expect((await valueOf(core.core.api.getHealth({}))).status).toBe('healthy');
    const refused = { ok: false, error: { code: 'database_error', message } };
    expect(await core.core.api.search({ query: 'function', mode: 'literal', limit: 1000 })).toEqual(refused);
    const report = await valueOf(core.core.api.getHealth({}));
    expect(report.status).toBe('unhealthy');
    expect(report.reasons).toEqual([message]);
    expect(await core.core.api.startIndexing({ path: repo })).toEqual(refused);
    expect(await core.core.api.countMatches({ query: 'value', mode: 'literal' })).toEqual(refused);
    // The core keeps its open marker when it closes, so the next start (here gitbot health) checks every page.
    await core.close();
    core = undefined;
    expect(existsSync(openMarkerPath(dbPath))).toBe(true);
    expect((await cli(['health', '--db', dbPath])).stdout.split('\n')[0]).toBe(`status: unhealthy (${damagedMessage(dbPath, quickCheckDetail(dbPath))})`);
  });

  it('an index run that meets the damage fails with the message and stops the next runs', async () => {
    // The documents' own pages: every file changed, so the writer deletes their old documents there.
    damageMiddlePages(dbPath, 'documents');
    for (const entry of readdirSync(repo, { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath, entry.name);
      if (entry.isFile() && !path.includes('/.git/')) writeFileSync(path, `changed ${entry.name}\n`);
    }
    core = createTestCore({ GITBOT_DB: dbPath, ...quietMemory }, { logToFile: false });
    const done = await indexThroughApi(core.core.api, repo);
    const message = damagedMessage(dbPath, 'database disk image is malformed');
    expect(done).toMatchObject({ status: 'failed', error: message });
    expect(await valueOf(core.core.api.getHealth({}))).toMatchObject({ status: 'unhealthy', reasons: [message] });
    expect(await core.core.api.startIndexing({ path: repo })).toEqual({ ok: false, error: { code: 'database_error', message } });
  });
});

describe('a read-only database', () => {
  it('is searched read-only, health says so, indexing is refused, and the file is never written', async () => {
    chmodSync(dbPath, 0o444);
    const before = digest(dbPath);
    const expected = await cli(['search', 'function', '--db', dbPath, '--limit', '0']);
    expect(expected.code).toBe(0);
    // Tests run as root, which access(W_OK) lets write whatever the mode: the check the core
    // makes (fileAccess) is injected with the answer a normal user gets for a 0444 file.
    core = createTestCore({ GITBOT_DB: dbPath, ...quietMemory }, { logToFile: false, databaseAccess: () => 'read-only' });
    const report = await valueOf(core.core.api.getHealth({}));
    expect(report.status).toBe('degraded');
    expect(report.reasons).toEqual([readOnlyMessage(dbPath)]);
    expect(readOnlyMessage(dbPath)).toBe(`The database ${dbPath} is read-only (no write permission on the file or its folder): search works, indexing is refused. Make both writable to index again.`);
    const page = await valueOf(core.core.api.search({ query: 'function', mode: 'literal', limit: 5 }));
    expect(page.matches.length).toBe(5);
    expect(expected.stdout).toContain(`${page.matches[0]?.path}`);
    const refused = { ok: false, error: { code: 'database_error', message: `Indexing is refused: ${readOnlyMessage(dbPath)}` } };
    expect(await core.core.api.startIndexing({ path: repo })).toEqual(refused);
    expect(await core.core.api.removeRepository({ repo })).toEqual(refused);
    await core.close();
    core = undefined;
    expect(digest(dbPath)).toBe(before);
    expect(existsSync(openMarkerPath(dbPath))).toBe(false);
  });
});
