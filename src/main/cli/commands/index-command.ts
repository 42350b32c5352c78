import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { IndexDone, IndexProgress, IndexSummary } from '../../../shared/types';
import type { Core } from '../../core/core';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { openCliCore } from '../open-core';

/** The part of the core the CLI commands use; tests pass a smaller one. */
export type CliCore = Pick<Core, 'api' | 'shutdown'>;
export type OpenCore = (options: { db?: string | undefined; env: NodeJS.ProcessEnv; cwd: string }) => CliCore | Promise<CliCore>;

const BAR_WIDTH = 30;

/** `gitbot index`, built around the function that opens the core. */
export function createIndexCommand(openCore: OpenCore): CliCommand {
  return {
    name: 'index',
    usage: `Usage: gitbot index <folder> [--db FILE] [--json]

Indexes the folder's text files, respecting .gitignore, .git/info/exclude and .gitbotignore.
A second run only touches files whose size or modification time changed. Ctrl-C cancels
and keeps what was committed; the next run resumes from there.

Options:
  --db FILE   SQLite database (default GITBOT_DB, else index.sqlite in the data folder)
  --json      print one summary line as JSON instead of a progress bar
  --help      show this help`,
    async run(args, io) {
      const { values, positionals } = parseArgs({ args, options: { db: { type: 'string' }, json: { type: 'boolean' } }, strict: true, allowPositionals: true });
      if (positionals.length !== 1) {
        throw new UsageError(positionals.length === 0 ? 'missing the folder to index' : 'give exactly one folder to index');
      }
      // resolve(cwd, '') is the working folder: an empty argument must not index it silently.
      if ((positionals[0] as string).trim() === '') {
        throw new UsageError('the folder to index is an empty path');
      }
      const folder = resolve(io.cwd, positionals[0] as string);
      const core = await openCore({ db: values.db, env: io.env, cwd: io.cwd });
      try {
        return await indexFolder(core, folder, values.json === true, io);
      } finally {
        await core.shutdown();
      }
    },
  };
}

async function indexFolder(core: CliCore, folder: string, json: boolean, io: CliIo): Promise<number> {
  const finished = new Map<string, IndexDone>();
  let taskId: string | null = null;
  let wake: (() => void) | null = null;
  const showBar = !json && io.stdout.isTTY === true;
  const offProgress = core.api.on('indexProgress', (progress) => {
    if (showBar && progress.taskId === taskId) {
      io.stdout.write(`\r${formatProgress(progress)}`);
    }
  });
  const offDone = core.api.on('indexDone', (done) => {
    finished.set(done.taskId, done);
    wake?.();
  });
  // Ctrl-C or SIGTERM cancels the run (whole batches are kept, the next run resumes); a signal
  // that comes before the task exists is remembered; a second one stops at once.
  let signals = 0;
  const cancel = (): void => {
    signals += 1;
    if (signals > 1) {
      io.stderr.write('gitbot index: stopped without waiting (the next run resumes from the last whole batch)\n');
      process.exit(130);
    }
    if (taskId !== null) {
      void core.api.cancelIndexing({ taskId });
    }
  };
  process.on('SIGINT', cancel);
  process.on('SIGTERM', cancel);
  try {
    const started = await core.api.startIndexing({ path: folder });
    if (!started.ok) {
      io.stderr.write(`gitbot index: ${started.error.message}\n`);
      return 1;
    }
    const id = started.value.taskId;
    taskId = id;
    if (signals > 0) {
      await core.api.cancelIndexing({ taskId: id });
    }
    let done = finished.get(id);
    while (done === undefined) {
      await new Promise<void>((resolveWake) => {
        wake = resolveWake;
      });
      done = finished.get(id);
    }
    if (showBar) {
      io.stdout.write('\r\u001b[2K');
    }
    if (json) {
      // `status` first, so a script reads how the run ended before the figures.
      io.stdout.write(`${JSON.stringify({ status: done.status, ...(done.error === null ? {} : { error: done.error }), ...done.summary })}\n`);
    }
    if (done.status === 'failed') {
      io.stderr.write(`gitbot index: ${done.error ?? 'indexing failed'}\n`);
      return 1;
    }
    if (!json) {
      io.stdout.write(formatSummary(done.summary, done.status));
    }
    return done.status === 'completed' ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', cancel);
    process.removeListener('SIGTERM', cancel);
    offProgress();
    offDone();
  }
}

/** One line: bar, files, MB, speed, ETA, current file. */
export function formatProgress(progress: IndexProgress): string {
  const fraction = progress.walkDone && progress.filesDiscovered > 0 ? progress.filesDone / progress.filesDiscovered : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = progress.walkDone ? `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]` : '[walking...]';
  const eta = progress.etaSeconds === null ? '' : ` ETA ${progress.etaSeconds}s`;
  const mb = (progress.bytesDone / (1024 * 1024)).toFixed(1);
  const current = progress.currentFile === null ? '' : ` ${progress.currentFile.slice(-40)}`;
  return `${bar} ${progress.filesDone}/${progress.filesDiscovered}${progress.walkDone ? '' : '+'} files ${mb} MB ${progress.mbPerSec} MB/s${eta}${current}\u001b[K`;
}

function formatSummary(summary: IndexSummary, status: IndexDone['status']): string {
  const skipped = Object.entries(summary.files_skipped)
    .map(([reason, count]) => `${count} ${reason}`)
    .join(', ');
  const head = status === 'cancelled' ? 'Cancelled (committed work is kept)' : 'Indexed';
  return `${head} ${summary.repo}: ${summary.files_indexed} files indexed, ${summary.files_unchanged} unchanged, ${summary.files_removed} removed, ${skipped === '' ? 'none' : skipped} skipped; ${(summary.bytes_indexed / (1024 * 1024)).toFixed(1)} MB in ${summary.documents} documents, ${summary.seconds} s\n`;
}

export const indexCommand: CliCommand = createIndexCommand((options) => openCliCore(options));
