import { spawnSync } from 'node:child_process';
import { mkdirSync, realpathSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../src/shared/result';
import { createIndexCommand, type CliCore } from '../src/main/cli/commands/index-command';
import { createSearchCommand } from '../src/main/cli/commands/search-command';
import { openReadOnlySearch } from '../src/main/cli/read-only-search';
import type { CliIo } from '../src/main/cli/command';
import { toResultError } from '../src/main/core/base/errors';
import { EventHub } from '../src/main/core/base/events';
import { inProcessTransport } from '../src/main/core/in-process-transport';
import type { Dispatch } from '../src/main/core/router';
import { createApi } from '../src/shared/client';
import { Indexer } from '../src/main/core/indexer/indexer';
import { silentLogger } from '../src/main/core/log/logger';
import { TaskManager } from '../src/main/core/tasks/task-manager';
import { sourceWorkers } from '../src/main/core/base/workers';
import { makeTempDir, writeRepo } from './helpers/make-repo';
import { ripgrep } from './helpers/ripgrep';
import { configureTestBundle } from './helpers/test-core';

// A full listing starts the listing worker from source.
configureTestBundle();

let temp: ReturnType<typeof makeTempDir>;

/** The slice of the core the commands use, wired the way core.ts wires it. */
function testCore(dbPath: string): CliCore {
  const events = new EventHub();
  const tasks = new TaskManager({ logger: silentLogger });
  const indexer = new Indexer({
    dbPath,
    config: { MAX_FILE_SIZE: 1024 * 1024, MAX_CONTENT_LENGTH: 50_000, MAX_DOCUMENTS_PER_BATCH: 100, CHUNK_SIZE: 8192, MEMORY_THRESHOLD_MB: 1024 },
    tasks,
    events,
    logger: silentLogger,
    workers: sourceWorkers(join(__dirname, '../src/main/core')),
  });
  const call = async (run: () => unknown) => {
    try {
      return ok(await run());
    } catch (error) {
      const { code, message } = toResultError(error);
      return fail(code, message);
    }
  };
  // The two requests the command makes, behind the same in-process transport as core.api.
  const dispatch: Dispatch = (name, raw) => {
    const arg = raw as { path: string; taskId: string };
    if (name === 'startIndexing') return call(() => indexer.start(arg.path));
    if (name === 'cancelIndexing') return call(() => ({ cancelled: indexer.cancel(arg.taskId) }));
    return Promise.resolve(fail('unknown_request', name));
  };
  return {
    api: createApi(inProcessTransport(dispatch, events)),
    shutdown: async () => {
      await tasks.shutdown(5000);
      await indexer.dispose();
    },
  };
}

function io(cwd: string, tty = false): CliIo & { out: () => string; err: () => string } {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { stdout, stderr, env: {}, cwd, out: () => out, err: () => err };
}

/** Like io(), keeping stdout's bytes as written. */
function bytesIo(cwd: string): CliIo & { out: () => Buffer } {
  const stdout = Object.assign(new PassThrough(), { isTTY: false });
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stdout, stderr: new PassThrough(), env: {}, cwd, out: () => Buffer.concat(chunks) };
}

beforeEach(() => {
  temp = makeTempDir();
  mkdirSync(join(temp.path, 'data'));
});

afterEach(() => {
  temp.remove();
});

describe('gitbot index and gitbot search', () => {
  it('indexes with a JSON summary and searches with JSON lines equal to rg', async () => {
    const dbPath = join(temp.path, 'data', 'index.sqlite');
    const open = () => testCore(dbPath);
    const index = createIndexCommand(open);
    const search = createSearchCommand(openReadOnlySearch);
    writeRepo(join(temp.path, 'repo'), { 'a.txt': 'one needle\ntwo\nneedle needle\n', 'b/c.txt': '100% needle_x\n', 'd.bin': Buffer.from([0, 1]) });
    const indexIo = io(temp.path);
    expect(await index.run(['repo', '--json'], indexIo)).toBe(0);
    const summary = JSON.parse(indexIo.out()) as Record<string, unknown>;
    expect(summary).toMatchObject({
      status: 'completed',
      repo: realpathSync(join(temp.path, 'repo')),
      files_indexed: 2,
      files_unchanged: 0,
      files_removed: 0,
      files_skipped: { binary: 1 },
      documents: 2,
    });
    expect(Object.keys(summary)).toEqual(['status', 'repo', 'files_indexed', 'files_unchanged', 'files_removed', 'files_skipped', 'bytes_indexed', 'documents', 'seconds']);

    const searchIo = io(temp.path);
    expect(await search.run(['needle', '--json', '--limit', '0', '--db', dbPath], searchIo)).toBe(0);
    const lines = searchIo
      .out()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { path: string; line: number; text: string; ranges: number[][] });
    expect(lines.map(({ path, line }) => ({ path, line }))).toEqual(ripgrep(join(temp.path, 'repo'), 'needle', { fixed: true }).map(({ path, line }) => ({ path, line })));
    expect(lines[1]).toEqual({
      path: 'a.txt',
      line: 3,
      text: 'needle needle',
      ranges: [
        [0, 6],
        [7, 13],
      ],
    });

    const plainIo = io(temp.path);
    expect(await search.run(['100%', '--repo', 'repo', '--db', dbPath], plainIo)).toBe(0);
    expect(plainIo.out()).toBe('repo/b/c.txt:1:100% needle_x\n');
  });

  it('writes a full listing of more files than a lane block on both lanes, in the order of a limited one, equal to rg', async () => {
    const dbPath = join(temp.path, 'data', 'index.sqlite');
    const files: Record<string, string> = {};
    // 700 files: three blocks of 256 files, listed by this thread and the listing worker.
    for (let file = 0; file < 700; file += 1) {
      files[`d${file % 7}/f${file}.ts`] = Array.from({ length: 1 + (file % 9) }, (_, line) => `const v${file}_${line} = ${line};\n`).join('');
    }
    writeRepo(join(temp.path, 'repo'), files);
    expect(await createIndexCommand(() => testCore(dbPath)).run(['repo', '--json'], io(temp.path))).toBe(0);
    const listed = async (limit: string): Promise<Buffer> => {
      const out = bytesIo(temp.path);
      expect(await createSearchCommand(openReadOnlySearch).run(['v\\d+_[0-8]', '--regex', '--limit', limit, '--db', dbPath], out)).toBe(0);
      return out.out();
    };
    const all = await listed('0');
    expect(all.equals(await listed('100000'))).toBe(true);
    const lines = all.toString('utf8').split('\n').slice(0, -1);
    expect(lines).toHaveLength(Object.values(files).reduce((sum, text) => sum + text.split('\n').length - 1, 0));
    const rg = ripgrep(join(temp.path, 'repo'), 'v\\d+_[0-8]').map(({ path, line, text }) => `repo/${path}:${line}:${text}`);
    expect([...lines].sort()).toEqual([...rg].sort());
  });

  it('prints plain lines byte for byte as rg does: latin-1, CRLF and long lines, a name that is not UTF-8', async () => {
    const dbPath = join(temp.path, 'data', 'index.sqlite');
    const repo = join(temp.path, 'repo');
    writeRepo(repo, {
      'latin1.txt': Buffer.from('caf\xe9 x\nno\n\xe0 la x\n', 'latin1'),
      'crlf.txt': 'one x\r\ntwo\r\nthree \u00e9 x\r\n',
      'mixed.txt': Buffer.concat([Buffer.from('utf \u00e9 x\n'), Buffer.from('bad \xff\xfe x \xc3\n', 'latin1')]),
      // Longer than a document (50,000 characters here): the line is joined across documents.
      'long.txt': Buffer.from(`${'y'.repeat(60_000)}\xe9 x\n`, 'latin1'),
      // Binary (a NUL byte): rg skips it, and so does the index.
      'nul.txt': Buffer.from('x before\0after x\n'),
      'dir/a.txt': 'x in a folder\n',
    });
    writeFileSync(Buffer.concat([Buffer.from(`${repo}/dir/`), Buffer.from('caf\xe9 x.txt', 'latin1')]), Buffer.from('na\xefve x\n', 'latin1'));
    expect(await createIndexCommand(() => testCore(dbPath)).run(['repo', '--json'], io(temp.path))).toBe(0);
    // Each output line as latin1 text, one character a byte: equal lines are equal bytes.
    const lines = (output: Buffer): string[] =>
      output
        .toString('latin1')
        .split(/(?<=\n)/)
        .sort();
    for (const [pattern, flags, rgFlags] of [
      ['x', [], ['-F']],
      ['\\w+ x', ['--regex'], []],
      ['X', ['--ignore-case'], ['-F', '-i']],
    ] as const) {
      const terminal = bytesIo(repo);
      expect(await createSearchCommand(openReadOnlySearch).run([pattern, ...flags, '--limit', '0', '--db', dbPath], terminal)).toBe(0);
      // No path argument, so rg prints names without "./"; stdin ignored, so it searches the folder.
      const rg = spawnSync('rg', ['--no-config', '-n', '--hidden', '--max-filesize', '1M', '-g', '!.git', ...rgFlags, '-e', pattern], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
      expect(rg.status, rg.stderr.toString()).toBe(0);
      expect(lines(terminal.out()), pattern).toEqual(lines(rg.stdout));
    }
    const all = bytesIo(repo);
    expect(await createSearchCommand(openReadOnlySearch).run(['x', '--limit', '0', '--db', dbPath], all)).toBe(0);
    expect(all.out().includes(Buffer.from('latin1.txt:1:caf\xe9 x\n', 'latin1'))).toBe(true);
    expect(all.out().includes(Buffer.from('dir/caf\xe9 x.txt:1:na\xefve x\n', 'latin1'))).toBe(true);
    expect(all.out().includes(Buffer.from('crlf.txt:1:one x\r\n'))).toBe(true);
    expect(all.out().includes(Buffer.from('nul.txt'))).toBe(false);

    // The index holds decoded text: a latin-1 line's bytes are read back from the file, only while
    // its size and mtime are the ones indexed and only when they decode to the line searched; else
    // the line is written as indexed, with U+FFFD, never with another line's bytes.
    const latin1 = join(repo, 'latin1.txt');
    const { atime, mtime } = statSync(latin1);
    writeFileSync(latin1, Buffer.from('cbf\xe9 x\nno\n\xe0 la x\n', 'latin1'));
    utimesSync(latin1, atime, mtime);
    const sameStamp = bytesIo(repo);
    expect(await createSearchCommand(openReadOnlySearch).run(['caf', '--limit', '0', '--db', dbPath], sameStamp)).toBe(0);
    expect(sameStamp.out().toString('latin1')).toBe(Buffer.from('latin1.txt:1:caf\uFFFD x\n').toString('latin1'));
    writeFileSync(latin1, Buffer.from('caf\xe9 x\n', 'latin1'));
    const otherSize = bytesIo(repo);
    expect(await createSearchCommand(openReadOnlySearch).run(['la x', '--limit', '0', '--db', dbPath], otherSize)).toBe(0);
    expect(otherSize.out().toString('latin1')).toBe(Buffer.from('latin1.txt:3:\uFFFD la x\n').toString('latin1'));
  });

  it("takes any literal text, with or without --ignore-case, and rg's regex syntax", async () => {
    const dbPath = join(temp.path, 'data', 'index.sqlite');
    const open = () => testCore(dbPath);
    const repo = join(temp.path, 'repo');
    writeRepo(repo, { 'a.txt': 'UTF-8 here\nutf-8 there\n(a+)+$ [x] \\d\nteS TEST\nGRÖSSE größe\n', 'b.txt': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\nsaß Straße\n' });
    expect(await createIndexCommand(open).run(['repo', '--json'], io(temp.path))).toBe(0);
    const run = async (args: string[]) => {
      const terminal = io(temp.path);
      expect(await createSearchCommand(openReadOnlySearch).run([...args, '--json', '--limit', '0', '--db', dbPath], terminal)).toBe(0);
      return terminal
        .out()
        .trim()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { path: string; line: number })
        .map(({ path, line }) => ({ path, line }));
    };
    const rg = (pattern: string, options: { fixed?: boolean; ignoreCase?: boolean }) => ripgrep(repo, pattern, options).map(({ path, line }) => ({ path, line }));
    for (const literal of ['utf-8', '(a+)+$', '[x] \\d', 'größe', 'ß']) {
      expect(await run([literal]), literal).toEqual(rg(literal, { fixed: true }));
      expect(await run([literal, '--ignore-case']), `${literal} -i`).toEqual(rg(literal, { fixed: true, ignoreCase: true }));
    }
    expect(await run(['utf-8', '--ignore-case'])).toHaveLength(2);
    for (const pattern of ['(?i)teS', '(a+)+$', '\\bgr\\w+e\\b', '[[:upper:]]{4}', '\\p{Latin}+ß', '(?P<n>a{3})\\z', '(?x) S t r']) {
      expect(await run([pattern, '--regex']), pattern).toEqual(rg(pattern, {}));
    }
    expect(await run(['(?i)teS', '--regex'])).toHaveLength(1);
    const refused = io(temp.path);
    expect(await createSearchCommand(openReadOnlySearch).run(['(\\w)\\1', '--regex', '--db', dbPath], refused)).toBe(1);
    expect(refused.err()).toBe('gitbot search: Invalid regular expression "(\\w)\\1": backreferences are not supported\n');
    const lookaround = io(temp.path);
    expect(await createSearchCommand(openReadOnlySearch).run(['(?<=a)b', '--regex', '--db', dbPath], lookaround)).toBe(1);
    expect(lookaround.err()).toBe('gitbot search: Invalid regular expression "(?<=a)b": look-around, including look-ahead and look-behind, is not supported\n');
  });

  it('shows a progress bar on a terminal', async () => {
    const dbPath = join(temp.path, 'data', 'index.sqlite');
    writeRepo(join(temp.path, 'repo'), { 'a.txt': 'needle\n' });
    const terminal = io(temp.path, true);
    expect(await createIndexCommand(() => testCore(dbPath)).run([join(temp.path, 'repo')], terminal)).toBe(0);
    expect(terminal.out()).toContain('Indexed ');
    expect(terminal.out()).toContain('1 files indexed');
  });

  it('prints one error line and exits 1 for bad input, 2 for usage mistakes', async () => {
    const dbPath = join(temp.path, 'data', 'index.sqlite');
    const open = () => testCore(dbPath);
    const missing = io(temp.path);
    expect(await createIndexCommand(open).run(['nowhere'], missing)).toBe(1);
    expect(missing.err()).toBe(`gitbot index: Folder not found: ${join(temp.path, 'nowhere')}\n`);
    writeRepo(join(temp.path, 'repo'), { 'a.txt': 'needle\n' });
    expect(await createIndexCommand(open).run(['repo', '--json'], io(temp.path))).toBe(0);
    const badRegex = io(temp.path);
    expect(await createSearchCommand(openReadOnlySearch).run(['(', '--regex', '--db', dbPath], badRegex)).toBe(1);
    expect(badRegex.err()).toBe('gitbot search: Invalid regular expression "(": unclosed group\n');
    const noIndex = io(temp.path);
    expect(await createSearchCommand(openReadOnlySearch).run(['x', '--db', join(temp.path, 'none.sqlite')], noIndex)).toBe(1);
    expect(noIndex.err()).toBe(`gitbot search: No index at ${join(temp.path, 'none.sqlite')}: run "gitbot index <folder>" first\n`);
    // The same from a full listing, which lists on two lanes.
    const badRegexAll = io(temp.path);
    expect(await createSearchCommand(openReadOnlySearch).run(['(', '--regex', '--limit', '0', '--db', dbPath], badRegexAll)).toBe(1);
    expect(badRegexAll.err()).toBe('gitbot search: Invalid regular expression "(": unclosed group\n');
    expect(badRegexAll.out()).toBe('');
    const noIndexAll = io(temp.path);
    expect(await createSearchCommand(openReadOnlySearch).run(['x', '--limit', '0', '--db', join(temp.path, 'none.sqlite')], noIndexAll)).toBe(1);
    expect(noIndexAll.err()).toBe(noIndex.err());
    await expect(createSearchCommand(openReadOnlySearch).run([], io(temp.path))).rejects.toThrow('missing the query');
    await expect(createSearchCommand(openReadOnlySearch).run(['x', '--regex', '--words'], io(temp.path))).rejects.toThrow('--regex and --words cannot be used together');
    await expect(createIndexCommand(open).run([], io(temp.path))).rejects.toThrow('missing the folder to index');
  });
});
