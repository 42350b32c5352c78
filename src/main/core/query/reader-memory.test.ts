import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexedFixture, type IndexedFixture } from '../../../../test/helpers/index-in-process';
import { cachedQueries } from '../search/search';
import { readOps } from './read-ops';
import { releaseReaderMemory } from './reader-memory';

describe("a reader's cleanup levers, each on a real connection", () => {
  let fixture: IndexedFixture;
  beforeAll(() => {
    fixture = indexedFixture((repo) => {
      mkdirSync(repo, { recursive: true });
      writeFileSync(join(repo, 'a.ts'), 'export const value = 1;\nexport const other = 2;\n');
    }, {});
  });
  afterAll(() => {
    fixture.close();
  });

  it('drops the query cache: the plans of earlier searches are gone', () => {
    readOps.search(fixture.reader, { query: 'value', mode: 'literal' });
    readOps.search(fixture.reader, { query: 'oth\\w+', mode: 'regex' });
    expect(cachedQueries(fixture.reader)).toBe(2);
    releaseReaderMemory(fixture.reader, { cacheKib: 2048 });
    expect(cachedQueries(fixture.reader)).toBe(0);
    // The next search plans again and finds the same.
    expect(readOps.search(fixture.reader, { query: 'value', mode: 'literal' }).matches.map((match) => match.line)).toEqual([1]);
  });

  it("returns SQLite's page cache with PRAGMA shrink_memory, the cache_size kept (its own process)", () => {
    const fixturePath = fileURLToPath(new URL('./reader-memory.fixture.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fixturePath], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const figures = JSON.parse(run.stdout) as { before: number; after: number };
    // About 13 MB of pages were cached (measured; -0.1 MB without shrink_memory): with the same cache_size only shrink_memory frees them.
    expect(figures.before - figures.after).toBeGreaterThan(8 * 1024 * 1024);
  });
});
