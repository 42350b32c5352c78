import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from './helpers/make-repo';

const child = join(__dirname, 'helpers', 'cli-child.ts');

function gitbot(args: string[], env: NodeJS.ProcessEnv) {
  const process_ = spawn(process.execPath, ['--import', 'tsx', child, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  process_.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  process_.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => process_.on('exit', (code) => resolve(code)));
  return { process: process_, exited, stdout: () => stdout, stderr: () => stderr };
}

function committedFiles(dbPath: string): number {
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT count(*) FROM files').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

describe('gitbot index and signals', () => {
  let repo: ReturnType<typeof makeTempDir>;
  let data: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    repo = makeTempDir('gitbot-signal-repo-');
    data = makeTempDir('gitbot-signal-data-');
    // Enough text that a run takes seconds: 2,500 files of ~24 KB.
    const line = 'export const value = "the quick brown fox jumps over the lazy dog";\n';
    for (let folder = 0; folder < 25; folder += 1) {
      mkdirSync(join(repo.path, `pkg-${folder}`));
      for (let file = 0; file < 100; file += 1) {
        writeFileSync(join(repo.path, `pkg-${folder}`, `file-${file}.ts`), `// ${folder}/${file}\n${line.repeat(350)}`);
      }
    }
  });
  afterEach(() => {
    repo.remove();
    data.remove();
  });

  it('SIGTERM cancels the run, keeps whole batches and the next run resumes', async () => {
    const dbPath = join(data.path, 'index.sqlite');
    const env = { GITBOT_DATA_DIR: data.path, MAX_DOCUMENTS_PER_BATCH: '20' };
    const first = gitbot(['index', repo.path, '--db', dbPath, '--json'], env);
    await expect.poll(() => committedFiles(dbPath), { timeout: 30_000, interval: 50 }).toBeGreaterThan(0);
    first.process.kill('SIGTERM');
    expect(await first.exited).toBe(1);
    const cancelled = JSON.parse(first.stdout().trim());
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.files_indexed).toBeGreaterThan(0);
    expect(cancelled.files_indexed).toBeLessThan(2500);

    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const second = gitbot(['index', repo.path, '--db', dbPath, '--json'], env);
    expect(await second.exited).toBe(0);
    const resumed = JSON.parse(second.stdout().trim());
    expect(resumed.status).toBe('completed');
    expect(resumed.files_unchanged + resumed.files_indexed).toBe(2500);
    expect(resumed.files_unchanged).toBeGreaterThanOrEqual(cancelled.files_indexed - 20);
  });
});
