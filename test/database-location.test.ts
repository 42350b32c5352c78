import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { IndexDone, SearchPage, SkippedFile } from '../src/shared/types';
import { createTestCore, type TestCore } from './helpers/test-core';

let test: TestCore | undefined;

afterEach(async () => {
  await test?.close();
});

async function index(core: TestCore['core'], root: string): Promise<IndexDone> {
  const done = new Promise<IndexDone>((resolve) => core.events.subscribe((event, payload) => (event === 'indexDone' ? resolve(payload as IndexDone) : undefined)));
  const started = await core.dispatch('startIndexing', { path: root });
  if (!started.ok) throw new Error(started.error.message);
  return done;
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
  const page = await test.core.dispatch('search', { query: 'needle', mode: 'literal', limit: 1000 });
  expect(page.ok && (page.value as SearchPage).matches.map((match) => match.path)).toEqual(['src/code.txt']);
  const skipped = await test.core.dispatch('listSkippedFiles', { repo: root });
  expect(skipped.ok && (skipped.value as { files: SkippedFile[] }).files).toEqual([]);
});
