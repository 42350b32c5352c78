import { realpathSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { spawnBrokenWriterIndex, HANDLERS_INSTALLED } from './helpers/broken-writer-index';
import { makeTempDir } from './helpers/make-repo';

let temp: ReturnType<typeof makeTempDir> | undefined;

afterEach(() => {
  temp?.remove();
});

it('gitbot index --json prints status "failed" with the error, and exits 1, when its writer thread dies', async () => {
  temp = makeTempDir('gitbot-cli-failed-');
  // A writer that dies of an uncaught TypeError once its run has begun (crashing-indexer.ts).
  const { repo, stdout, stderr, exited } = spawnBrokenWriterIndex(temp, 'notes.txt', { TEST_WRITER: 'crashing-indexer.ts' });
  const { code } = await exited;
  const error = "The indexer's writer thread stopped while indexing notes.txt: it crashed (Cannot read properties of undefined (reading 'ops'))";
  expect(code).toBe(1);
  const summary = JSON.parse(stdout().trim()) as Record<string, unknown>;
  expect(summary).toEqual({
    status: 'failed',
    error,
    repo: realpathSync(repo),
    files_indexed: 0,
    files_unchanged: 0,
    files_removed: 0,
    files_skipped: {},
    bytes_indexed: 0,
    documents: 0,
    seconds: 0,
  });
  expect(Object.keys(summary).slice(0, 2)).toEqual(['status', 'error']);
  expect(stderr().replace(HANDLERS_INSTALLED, '')).toBe(`gitbot index: ${error}\n`);
}, 60_000);
