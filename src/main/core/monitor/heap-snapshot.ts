import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { getHeapSnapshot } from 'node:v8';
import { AppError } from '../base/errors';
import type { Logger } from '../log/logger';
import type { TaskRunner } from './run-task';
import { HEAP_FILE_MODE, prepareDirectory, timestampedPath } from './profile-files';
import type { WatchedWorker } from './worker-heaps';

export interface HeapSnapshotRequest {
  readonly target: 'main' | 'worker';
  readonly directory: string;
}

export interface StartedProfile {
  readonly taskId: string;
  /** Where the file will be once the task completes. */
  readonly path: string;
  /** Settles when the file is written; rejects when the task fails or is cancelled. */
  readonly done: Promise<string>;
}

export interface HeapSnapshotDependencies {
  readonly tasks: TaskRunner;
  readonly logger: Logger;
  /** The watched worker threads; a worker snapshot takes the first one. */
  readonly workers: () => readonly WatchedWorker[];
}

/**
 * Writes a .heapsnapshot of the main thread or of a worker (worker.getHeapSnapshot()) as a
 * tracked `heap_snapshot` task. Returns at once with the task id and the file's path; the
 * folder is checked before, so a bad folder fails the request, not the task.
 */
export function startHeapSnapshot(request: HeapSnapshotRequest, dependencies: HeapSnapshotDependencies): StartedProfile {
  prepareDirectory(request.directory);
  const worker = request.target === 'worker' ? dependencies.workers()[0] : undefined;
  if (request.target === 'worker' && worker === undefined) {
    throw new AppError('not_found', 'No worker thread is running to take a heap snapshot of; start indexing first');
  }
  const prefix = worker === undefined ? `main-${process.pid}` : `worker-${worker.name}-${worker.worker.threadId}`;
  const path = timestampedPath(request.directory, prefix, 'heapsnapshot');
  const handle = dependencies.tasks.run('heap_snapshot', { target: request.target, path }, async ({ signal }) => {
    const started = performance.now();
    const source = worker === undefined ? getHeapSnapshot() : await worker.worker.getHeapSnapshot();
    try {
      // wx: never through a file (or link) planted at that name; 0600: the owner only.
      await pipeline(source, createWriteStream(path, { flags: 'wx', mode: HEAP_FILE_MODE }), { signal });
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    dependencies.logger.info(`Heap snapshot written to ${path}`, { target: request.target, ms: Math.round(performance.now() - started) });
    return path;
  });
  return { taskId: handle.id, path, done: handle.done };
}
