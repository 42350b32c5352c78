import { spawn } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeTempDir } from './helpers/make-repo';

const child = join(__dirname, 'helpers', 'broken-writer-cli-child.ts');

let temp: ReturnType<typeof makeTempDir> | undefined;

afterEach(() => {
  temp?.remove();
});

it('gitbot index --json prints status "failed" with the error, and exits 1, when its writer thread dies', async () => {
  temp = makeTempDir('gitbot-cli-failed-');
  const repo = join(temp.path, 'repo');
  mkdirSync(repo);
  writeFileSync(join(repo, 'notes.txt'), 'text\n');
  // A writer that dies of an uncaught TypeError once its run has begun (crashing-indexer.ts).
  const env = { ...process.env, GITBOT_DATA_DIR: join(temp.path, 'data'), TEST_WRITER: 'crashing-indexer.ts' };
  const gitbot = spawn(process.execPath, ['--import', 'tsx', child, 'index', repo, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  gitbot.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  gitbot.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => gitbot.on('exit', (exitCode) => resolve(exitCode)));
  const error = "The indexer's writer thread stopped while indexing notes.txt: it crashed (Cannot read properties of undefined (reading 'ops'))";
  expect(code).toBe(1);
  const summary = JSON.parse(stdout.trim()) as Record<string, unknown>;
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
  expect(stderr.replace('test: signal handlers installed\n', '')).toBe(`gitbot index: ${error}\n`);
}, 60_000);
