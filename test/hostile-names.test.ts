import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { writeInvalidUtf8Names } from './helpers/hostile-repo';
import { makeTempDir } from './helpers/make-repo';
import { compareHits, ripgrep, type RgHit } from './helpers/ripgrep';
import { runCli } from '../src/main/cli/run-cli';
import { captureIo, configureTestBundle, createTestCore, type TestCore } from './helpers/test-core';
import { indexThroughApi, valueOf } from './helpers/core-api';

// A full listing starts the listing worker from source.
configureTestBundle();

let test: TestCore | undefined;
let temp: ReturnType<typeof makeTempDir> | undefined;

afterEach(async () => {
  await test?.close();
  temp?.remove();
});

const lossyName = 'caf\uFFFD.txt';

it('indexes names that are not UTF-8 as rows of their own, finds them as rg does, previews each look-alike by its own raw name, sees them unchanged on a second run, and refuses to open them by name', async () => {
  temp = makeTempDir('gitbot-names-');
  const root = join(temp.path, 'repo');
  mkdirSync(root);
  const names = writeInvalidUtf8Names(root);
  // A folder whose name is not UTF-8: its files' paths are bytes too.
  const folder = Buffer.concat([Buffer.from(`${root}/`), Buffer.from('dir\xff', 'latin1')]);
  mkdirSync(folder);
  writeFileSync(Buffer.concat([folder, Buffer.from('/inside.txt')]), 'needle inside a folder\n');
  writeFileSync(join(root, 'plain.txt'), 'needle plain\n');
  let opened = 0;
  test = createTestCore({}, { nativeHandlers: { openInEditor: async () => ((opened += 1), { opened: true }) } });
  const done = await indexThroughApi(test.core.api, root);
  expect(done.error).toBeNull();
  expect(done.status).toBe('completed');

  const found = await valueOf(test.core.api.search({ query: 'needle', mode: 'literal', limit: 1000 }));
  const ours: RgHit[] = found.matches.map((match) => ({ path: match.path, ...(match.pathBytes === undefined ? {} : { pathBytes: match.pathBytes }), line: match.line, text: match.text }));
  const theirs = ripgrep(root, 'needle', { fixed: true });
  expect(theirs.map((hit) => hit.path)).toEqual([lossyName, lossyName, 'dir\uFFFD/inside.txt', 'plain.txt']);
  expect(ours.sort(compareHits)).toEqual(theirs);

  const database = new Database(test.dbPath, { readonly: true });
  const rows = database.prepare('SELECT path, path_bytes AS bytes, state, skip_reason AS reason FROM files ORDER BY path, path_bytes').all() as {
    path: string;
    bytes: Buffer;
    state: number;
    reason: string | null;
  }[];
  database.close();
  expect(rows.map((row) => [row.path, row.bytes.toString('hex'), row.state, row.reason])).toEqual([
    [lossyName, (names[1] as Buffer).toString('hex'), 1, null],
    [lossyName, (names[0] as Buffer).toString('hex'), 1, null],
    ['dir\uFFFD/inside.txt', Buffer.from('dir\xff/inside.txt', 'latin1').toString('hex'), 1, null],
    ['plain.txt', '', 1, null],
  ]);

  // Each look-alike result carries its own raw name, and its preview (words mode too) shows its own file's lines.
  for (const mode of ['literal', 'words'] as const) {
    const lookAlikes = (await valueOf(test.core.api.search({ query: 'needle', mode, limit: 1000 }))).matches.filter((match) => match.path === lossyName);
    expect(lookAlikes.map((match) => match.pathBytes).sort()).toEqual(names.map((name) => name.toString('base64')).sort());
    for (const match of lookAlikes) {
      const index = names.findIndex((name) => name.toString('base64') === match.pathBytes);
      const preview = await valueOf(test.core.api.readLines({ repo: match.repo, path: match.path, pathBytes: match.pathBytes as string, lines: [1, 2] }));
      expect(preview).toEqual({ repo: match.repo, path: lossyName, pathBytes: match.pathBytes, lines: [{ line: 1, text: `needle in name ${index}` }] });
    }
  }
  expect(found.matches.find((match) => match.path === 'plain.txt')).not.toHaveProperty('pathBytes');
  // The streamed route's listing writes the same matches, raw names included.
  const listed = await test.core.listSearch({ query: 'needle', mode: 'literal' }, 1000, new AbortController().signal);
  expect(listed.ok ? listed.value.output : listed.error.message).toBe(found.matches.map((match) => `${JSON.stringify(match)}\n`).join(''));
  // And `gitbot search --json`, for scripts that must tell the look-alikes apart.
  const cli = captureIo({ GITBOT_DATA_DIR: temp.path }, temp.path);
  expect(await runCli(['search', 'needle', '--db', test.dbPath, '--json', '--limit', '0'], cli.io)).toBe(0);
  const cliLines = cli
    .stdout()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { path: string; pathBytes?: string; line: number });
  expect(cliLines.map((line) => [line.path, line.pathBytes ?? null])).toEqual(found.matches.map((match) => [match.path, match.pathBytes ?? null]));
  // The path alone still names a lone file whose name is not UTF-8, but guesses neither of a pair.
  expect((await valueOf(test.core.api.readLines({ repo: root, path: 'dir\uFFFD/inside.txt', lines: [1] }))).lines).toEqual([{ line: 1, text: 'needle inside a folder' }]);
  expect(await test.core.api.readLines({ repo: root, path: lossyName, lines: [1] })).toEqual({
    ok: false,
    error: expect.objectContaining({
      code: 'bad_request',
      message: `Several files are shown as ${lossyName} in ${realpathSync(root)} (names that are not UTF-8): ask with the search result's pathBytes`,
    }),
  });
  const unknown = Buffer.from('caf\xea.txt', 'latin1').toString('base64');
  expect(await test.core.api.readLines({ repo: root, path: lossyName, pathBytes: unknown, lines: [1] })).toEqual({
    ok: false,
    error: expect.objectContaining({ code: 'not_found', message: `Not in the index: ${lossyName} in ${realpathSync(root)}` }),
  });
  expect(await test.core.api.readLines({ repo: root, path: lossyName, pathBytes: 'not base64!', lines: [1] })).toEqual({
    ok: false,
    error: expect.objectContaining({ code: 'bad_request', message: expect.stringContaining('pathBytes is not base64') }),
  });

  // A second run finds each by its bytes: unchanged, none removed, none added.
  const again = await indexThroughApi(test.core.api, root);
  expect([again.status, again.summary.files_indexed, again.summary.files_unchanged, again.summary.files_removed]).toEqual(['completed', 0, 4, 0]);

  const real = realpathSync(root);
  const refused = await test.core.api.openInEditor({ path: join(real, lossyName) });
  expect(refused).toEqual({
    ok: false,
    error: expect.objectContaining({ code: 'bad_request', message: `Cannot open a file whose name is not valid UTF-8 (shown with \uFFFD): ${join(real, lossyName)}` }),
  });
  expect(await valueOf(test.core.api.openInEditor({ path: join(real, 'plain.txt') }))).toEqual({ opened: true });
  expect(opened).toBe(1);
});

it('opens by raw name: a look-alike that is not UTF-8 is refused after it is found, never swapped for the UTF-8 file that shares its shown name', async () => {
  temp = makeTempDir('gitbot-names-');
  const root = join(temp.path, 'repo');
  mkdirSync(root);
  const names = writeInvalidUtf8Names(root);
  // A UTF-8 name that is literally U+FFFD: the same shown path as the two latin-1 names.
  writeFileSync(join(root, lossyName), 'needle in the name written with U+FFFD\n');
  const opened: string[] = [];
  test = createTestCore({}, { nativeHandlers: { openInEditor: async ({ path }) => (opened.push(path), { opened: true }) } });
  expect((await indexThroughApi(test.core.api, root)).status).toBe('completed');
  const real = realpathSync(root);

  const matches = (await valueOf(test.core.api.search({ query: 'needle', mode: 'literal', limit: 1000 }))).matches;
  expect(matches.map((match) => [match.path, match.pathBytes ?? null, match.text])).toEqual([
    [lossyName, null, 'needle in the name written with U+FFFD'],
    [lossyName, (names[1] as Buffer).toString('base64'), 'needle in name 1'],
    [lossyName, (names[0] as Buffer).toString('base64'), 'needle in name 0'],
  ]);
  // The shown path alone names the UTF-8 file exactly: its lines, and it opens.
  expect((await valueOf(test.core.api.readLines({ repo: root, path: lossyName, lines: [1] }))).lines).toEqual([{ line: 1, text: 'needle in the name written with U+FFFD' }]);
  expect(await valueOf(test.core.api.openInEditor({ path: join(real, lossyName), line: 1 }))).toEqual({ opened: true });
  expect(opened).toEqual([join(real, lossyName)]);

  // The latin-1 results carry their bytes: found and checked on disk and in the index, then refused (an editor takes names as text).
  for (const name of names) {
    const refused = await test.core.api.openInEditor({ path: join(real, lossyName), line: 1, pathBytes: name.toString('base64') });
    expect(refused).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'bad_request', message: `Cannot open a file whose name is not valid UTF-8 (shown with \uFFFD): ${join(real, lossyName)}` }),
    });
  }
  const missing = await test.core.api.openInEditor({ path: join(real, lossyName), pathBytes: Buffer.from('caf\xea.txt', 'latin1').toString('base64') });
  expect(missing).toEqual({ ok: false, error: expect.objectContaining({ code: 'not_found', message: `File not found: ${join(real, lossyName)}` }) });
  const mismatched = await test.core.api.openInEditor({ path: join(real, 'plain.txt'), pathBytes: (names[0] as Buffer).toString('base64') });
  expect(mismatched).toEqual({ ok: false, error: expect.objectContaining({ code: 'bad_request', message: `pathBytes is not the name of ${join(real, 'plain.txt')} in an indexed repository` }) });
  expect(opened).toHaveLength(1);
});
