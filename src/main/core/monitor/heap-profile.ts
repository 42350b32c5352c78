import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../base/errors';
import type { Logger } from '../log/logger';
import type { TaskRunner } from './run-task';
import type { StartedProfile } from './heap-snapshot';
import { HEAP_FILE_MODE, prepareDirectory, timestampedPath } from './profile-files';

export interface HeapProfileRequest {
  readonly seconds: number;
  readonly directory: string;
  /** Bytes between two samples; V8's default is 32 KiB. */
  readonly samplingIntervalBytes?: number;
}

export interface HeapProfileDependencies {
  readonly tasks: TaskRunner;
  readonly logger: Logger;
}

/** One sampling profile at a time: V8 keeps a single sampling heap profiler per isolate. */
let profiling = false;

/**
 * Records a sampling heap profile of the main thread for `seconds` (inspector
 * HeapProfiler.startSampling/stopSampling) and writes it as a .heapprofile, which Chrome
 * DevTools opens, as a tracked `heap_profile` task. Cancelling the task stops sampling
 * and writes nothing.
 */
export function startHeapProfile(request: HeapProfileRequest, dependencies: HeapProfileDependencies): StartedProfile {
  if (profiling) {
    throw new AppError('bad_request', 'A heap profile is already being recorded; wait for it to finish or cancel it');
  }
  prepareDirectory(request.directory);
  const path = timestampedPath(request.directory, `main-${process.pid}`, 'heapprofile');
  profiling = true;
  const handle = dependencies.tasks.run('heap_profile', { seconds: request.seconds, path }, async ({ signal, setProgress }) => {
    const session = new Session();
    session.connect();
    try {
      await post(session, 'HeapProfiler.enable');
      await post(session, 'HeapProfiler.startSampling', { samplingInterval: request.samplingIntervalBytes ?? 32 * 1024 });
      const stepMs = 250;
      const totalMs = request.seconds * 1000;
      try {
        for (let elapsed = 0; elapsed < totalMs; elapsed += stepMs) {
          await sleep(Math.min(stepMs, totalMs - elapsed), undefined, { signal });
          setProgress(Math.min(1, (elapsed + stepMs) / totalMs));
        }
      } finally {
        // Stop even when cancelled, or V8 keeps sampling for the life of the process.
        const { profile } = (await post(session, 'HeapProfiler.stopSampling')) as { profile: unknown };
        if (!signal.aborted) {
          await writeFile(path, JSON.stringify(profile), { flag: 'wx', mode: HEAP_FILE_MODE });
        }
      }
      dependencies.logger.info(`Heap profile written to ${path}`, { seconds: request.seconds });
      return path;
    } finally {
      session.disconnect();
    }
  });
  // Released however the task ends, including cancelled before its work began.
  const release = (): void => {
    profiling = false;
  };
  handle.done.then(release, release);
  return { taskId: handle.id, path, done: handle.done };
}

function post(session: Session, method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (error, result) => {
      if (error !== null) reject(error);
      else resolve(result);
    });
  });
}
