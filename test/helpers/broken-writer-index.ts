/**
 * `gitbot index <repo> --json` in a child whose writer thread is a broken one
 * (broken-writer-cli-child.ts), on a new repository of one file in `temp`, with its output
 * gathered as it comes.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { makeTempDir } from './make-repo';

const child = join(__dirname, 'broken-writer-cli-child.ts');

/** What the child printed to stderr once its signal handlers are installed. */
export const HANDLERS_INSTALLED = 'test: signal handlers installed\n';

export interface BrokenWriterIndex {
  readonly gitbot: ChildProcessByStdio<null, Readable, Readable>;
  readonly repo: string;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves once the child has installed its signal handlers. */
  readonly ready: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the child on a repository holding only `file`; `env` is added to the child's environment. */
export function spawnBrokenWriterIndex(temp: ReturnType<typeof makeTempDir>, file: string, env: Record<string, string>): BrokenWriterIndex {
  const repo = join(temp.path, 'repo');
  mkdirSync(repo);
  writeFileSync(join(repo, file), 'text\n');
  const childEnv = { ...process.env, GITBOT_DATA_DIR: join(temp.path, 'data'), ...env };
  const gitbot = spawn(process.execPath, ['--import', 'tsx', child, 'index', repo, '--json'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  gitbot.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const ready = new Promise<void>((resolve) => {
    gitbot.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.includes(HANDLERS_INSTALLED)) resolve();
    });
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => gitbot.on('exit', (code, signal) => resolve({ code, signal })));
  return { gitbot, repo, stdout: () => stdout, stderr: () => stderr, ready, exited };
}
