import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { IndexDone } from '../src/shared/types';
import { createTestCore, type TestCore } from './helpers/test-core';
import { indexThroughApi, valueOf } from './helpers/core-api';

let test: TestCore | undefined;

afterEach(async () => {
  await test?.close();
});

function index(core: TestCore['core'], root: string): Promise<IndexDone> {
  return indexThroughApi(core.api, root);
}

it('indexes the folder that holds the database, its logs and snapshots, skipping exactly those files', async () => {
  // The data folder is the repository: index.sqlite, -wal, -shm, logs/ and snapshots/ all lie inside it.
  test = createTestCore();
  const root = realpathSync(test.dir);
  mkdirSync(join(root, 'snapshots'), { recursive: true });
  writeFileSync(join(root, 'snapshots', 'main.heapsnapshot'), 'needle in a snapshot\n');
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'code.txt'), 'needle in code\n');
  test.core.logger.info('needle in the log');
  for (let run = 0; run < 2; run += 1) {
    const done = await index(test.core, root);
    expect(done.error).toBeNull();
    expect(done.summary.files_skipped).toEqual({});
  }
  const page = await valueOf(test.core.api.search({ query: 'needle', mode: 'literal', limit: 1000 }));
  expect(page.matches.map((match) => match.path)).toEqual(['src/code.txt']);
  // The open marker (index.sqlite.open, holding this process's id) is the database's too.
  const marker = await valueOf(test.core.api.search({ query: String(process.pid), mode: 'literal', limit: 1000 }));
  expect(marker.matches.map((match) => match.path)).not.toContain('index.sqlite.open');
  const skipped = await valueOf(test.core.api.listSkippedFiles({ repo: root }));
  expect(skipped.files).toEqual([]);
});
