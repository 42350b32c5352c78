import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { bigIgnoreText, makeFifo, realisticIgnoreText, writeIgnoreTargets } from './helpers/hostile-repo';
import { ripgrepFiles } from './helpers/ripgrep';
import { makeTempDir } from './helpers/make-repo';
import { createTestCore, type TestCore } from './helpers/test-core';
import { indexThroughApi, valueOf } from './helpers/core-api';

let test: TestCore | undefined;
let temp: ReturnType<typeof makeTempDir> | undefined;

afterEach(async () => {
  await test?.close();
  temp?.remove();
});

it('applies a large .gitignore and skips with a warning an ignore file that is huge, /dev/zero or a FIFO', async () => {
  temp = makeTempDir('gitbot-ignore-');
  const root = join(temp.path, 'repo');
  mkdirSync(join(root, 'generated', 'm-7'), { recursive: true });
  writeFileSync(join(root, '.gitignore'), bigIgnoreText(7000));
  writeFileSync(join(root, 'generated', 'm-7', 'x.js'), 'needle ignored by the big file\n');
  writeFileSync(join(root, 'generated', 'm-7', 'x.txt'), 'needle not ignored\n');
  writeFileSync(join(root, 'kept.txt'), 'needle kept\n');
  for (const name of ['zero', 'fifo', 'huge']) {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'file.txt'), `needle in ${name}\n`);
  }
  symlinkSync('/dev/zero', join(root, 'zero', '.gitignore'));
  makeFifo(join(root, 'fifo', '.gitignore'));
  writeFileSync(join(root, 'huge', '.gitignore'), bigIgnoreText(10_000));
  // A line too long to be a path is not applied; the rest of its file is.
  mkdirSync(join(root, 'long'));
  writeFileSync(join(root, 'long', '.gitignore'), `${'x'.repeat(5000)}\n*.tmp\n`);
  writeFileSync(join(root, 'long', 'a.tmp'), 'needle ignored by the long file\n');
  const warnings: string[] = [];
  // Only the ignore files' warnings: the test process's own RSS may pass the memory threshold and
  // shrink a batch, which warns too and is not this test's subject.
  const isIgnoreWarning = (entry: { level: string; message: string }): boolean => entry.level === 'warn' && entry.message.startsWith('Ignore file');
  test = createTestCore({ IGNORE_FILE_MAX_BYTES: '200000' }, { logToFile: false, logSinks: [(entry) => (isIgnoreWarning(entry) ? warnings.push(entry.message) : undefined)] });
  const done = await indexThroughApi(test.core.api, root);
  expect(done.error).toBeNull();
  expect(done.status).toBe('completed');
  const real = realpathSync(root);
  expect(warnings).toEqual([
    `Ignore file skipped, its rules are not applied: ${join(real, 'fifo', '.gitignore')} was not read: it is a FIFO, not a file`,
    `Ignore file skipped, its rules are not applied: ${join(real, 'huge', '.gitignore')} was not read: it is larger than 200000 bytes`,
    `Ignore file ${join(real, 'long', '.gitignore')}: 1 line is longer than 4096 characters and not applied`,
    `Ignore file skipped, its rules are not applied: ${join(real, 'zero', '.gitignore')} was not read: it is a symlink, which is not followed`,
  ]);
  const found = await valueOf(test.core.api.search({ query: 'needle', mode: 'literal', limit: 1000 }));
  const paths = found.matches.map((match) => match.path);
  expect(paths).toEqual(['fifo/file.txt', 'generated/m-7/x.txt', 'huge/file.txt', 'kept.txt', 'zero/file.txt']);
});

it('indexes under a real 7,000-line .gitignore and skips exactly what rg skips', async () => {
  temp = makeTempDir('gitbot-ignore-');
  const root = join(temp.path, 'repo');
  mkdirSync(join(root, '.git'), { recursive: true });
  const ignoreText = realisticIgnoreText(7000);
  expect(ignoreText.length).toBeGreaterThan(100_000);
  writeFileSync(join(root, '.gitignore'), ignoreText);
  const written = writeIgnoreTargets(root, 7000);
  test = createTestCore();
  const done = await indexThroughApi(test.core.api, root);
  expect(done.error).toBeNull();
  expect(done.status).toBe('completed');
  const database = new Database(test.dbPath, { readonly: true });
  const indexed = database.prepare('SELECT path FROM files ORDER BY path').pluck().all() as string[];
  database.close();
  const expected = ripgrepFiles(root);
  // Both sides of every kind of rule are present, so agreeing says something.
  expect(expected.length).toBeGreaterThan(written.length / 3);
  expect(expected.length).toBeLessThan(written.length);
  expect(indexed.sort()).toEqual(expected);
});
