import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRepo, makeTempDir } from '../../../../test/helpers/make-repo';
import { indexInProcess, openWriter } from '../../../../test/helpers/index-in-process';
import type { WritableDatabase } from '../base/database-types';
import { parseQueryFilters } from '../../../shared/query-filters';
import { openConnection } from '../db/open-connection';
import { readOps } from '../query/read-ops';
import { allMatches } from '../../../../test/helpers/all-matches';

let temp: ReturnType<typeof makeTempDir>;
let root: string;
let other: string;
let writer: WritableDatabase;
let reader: BetterSqlite3.Database;

beforeAll(() => {
  temp = makeTempDir();
  root = join(temp.path, 'alpha');
  other = join(temp.path, 'beta');
  generateRepo(root, { seed: 11, files: 40 });
  generateRepo(other, { seed: 12, files: 12 });
  root = realpathSync(root);
  other = realpathSync(other);
  writer = openWriter(join(temp.path, 'index.sqlite'));
  indexInProcess(writer, root, { maxContentLength: 2000, maxDocumentsPerBatch: 7, chunkSize: 512 });
  indexInProcess(writer, other, { maxContentLength: 2000, maxDocumentsPerBatch: 7, chunkSize: 512 });
  reader = openConnection(join(temp.path, 'index.sqlite'), { mode: 'reader' });
});

afterAll(() => {
  reader.close();
  writer.close();
  temp.remove();
});

/** rg with the same globs: `-g GLOB` for path:, `-g !GLOB` for -path:. */
function rgFiles(cwd: string, pattern: string, globs: readonly string[]): string[] {
  const args = ['--no-config', '--hidden', '--max-filesize', '1M', '-g', '!.git', '-F', '--files-with-matches', ...globs.flatMap((glob) => ['-g', glob]), '-e', pattern, '.'];
  const result = spawnSync('rg', args, { cwd, encoding: 'utf8' });
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^\.\//, ''))
    .sort();
}

function files(query: string, repo?: string): string[] {
  const matches = allMatches(reader, { query, mode: 'literal', ...(repo === undefined ? {} : { repo }) });
  return [...new Set(matches.map((match) => match.path))].sort();
}

describe('query filters', () => {
  it('parses repo:, path: and -path: anywhere, keeping the text between them', () => {
    expect(parseQueryFilters('path:src/** hello  world -path:"my docs/*" repo:alpha')).toEqual({
      text: 'hello  world',
      repo: 'alpha',
      paths: ['src/**'],
      excludedPaths: ['my docs/*'],
    });
    // Without a filter the query is kept as typed, spaces included.
    expect(parseQueryFilters(' a path-like: text ').text).toBe(' a path-like: text ');
  });

  it.each([
    ['path:src/**', ['src/**']],
    ['path:*.txt', ['*.txt']],
    ['-path:src/**', ['!src/**']],
    ['path:src/** -path:src/deep/**', ['src/**', '!src/deep/**']],
    ['path:*.js', ['*.js']],
  ])('%s keeps the files rg -g keeps', (filter, globs) => {
    const expected = rgFiles(root, 'value', globs);
    expect(expected.length).toBeGreaterThan(0);
    expect(files(`value ${filter}`, root)).toEqual(expected);
  });

  it('repo: names a repository by its folder and scopes the search to it', () => {
    const all = allMatches(reader, { query: 'value', mode: 'literal' });
    const scoped = allMatches(reader, { query: `repo:${basename(other)} value`, mode: 'literal' });
    expect(new Set(all.map((match) => match.repo))).toEqual(new Set([root, other]));
    expect(scoped.length).toBeGreaterThan(0);
    expect(new Set(scoped.map((match) => match.repo))).toEqual(new Set([other]));
    expect(scoped).toEqual(all.filter((match) => match.repo === other));
  });

  it('says what is wrong with a filter the index cannot honour', () => {
    expect(() => readOps.search(reader, { query: 'repo:nowhere value', mode: 'literal' })).toThrow('repo:nowhere names no indexed repository');
    expect(() => readOps.search(reader, { query: 'path:src/**', mode: 'literal' })).toThrow('Type the text to search for next to the filters (repo:, path:, -path:)');
  });

  it('does not share a cached plan between two filters of the same text', () => {
    const first = files('value path:lib/**', root);
    const second = files('value path:docs/**', root);
    expect(first.every((path) => path.startsWith('lib/'))).toBe(true);
    expect(second.every((path) => path.startsWith('docs/'))).toBe(true);
    expect(second.length).toBeGreaterThan(0);
  });
});
