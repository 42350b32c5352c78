import { useCallback, useEffect, useState } from 'react';
import type { GitbotApi } from '../../../shared/contract';
import type { ResultError } from '../../../shared/result';
import type { IndexDone, IndexProgress } from '../../../shared/types';
import { frameThrottle } from '../lib/frame-throttle';

/** One indexing run as the dashboard follows it. */
export interface IndexingRun {
  readonly taskId: string;
  readonly repo: string;
  readonly progress: IndexProgress | null;
  readonly done: IndexDone | null;
}

export interface Indexing {
  readonly run: IndexingRun | null;
  readonly starting: boolean;
  /** Starts indexing `path`; resolves to the error to show, or null when it started. */
  readonly start: (path: string) => Promise<ResultError | null>;
  readonly cancel: () => Promise<ResultError | null>;
}

/**
 * Follows the current indexing run: the one this window started, or one started elsewhere
 * (the CLI, another window) whose events arrive. Progress may arrive before the answer to
 * startIndexing, so both paths adopt the task.
 */
export function useIndexing(api: GitbotApi, onDone?: (done: IndexDone) => void): Indexing {
  const [run, setRun] = useState<IndexingRun | null>(null);
  const [starting, setStarting] = useState(false);
  const notifyDone = useLatest(onDone);

  useEffect(() => {
    // Progress arrives at up to 10 Hz, more in bursts on a busy machine: the newest one is drawn once per frame.
    let pending: IndexProgress | null = null;
    const throttle = frameThrottle(() => {
      const progress = pending;
      pending = null;
      if (progress !== null) {
        setRun((current) =>
          current !== null && current.taskId === progress.taskId ? { ...current, progress, done: current.done } : { taskId: progress.taskId, repo: progress.repo, progress, done: null },
        );
      }
    });
    const offProgress = api.on('indexProgress', (progress) => {
      pending = progress;
      throttle.schedule();
    });
    const offDone = api.on('indexDone', (done) => {
      // The run's last progress comes before its end.
      throttle.flush();
      setRun((current) => (current !== null && current.taskId === done.taskId ? { ...current, done } : { taskId: done.taskId, repo: done.repo, progress: null, done }));
      notifyDone(done);
    });
    return () => {
      throttle.cancel();
      offProgress();
      offDone();
    };
  }, [api, notifyDone]);

  const start = useCallback(
    async (path: string): Promise<ResultError | null> => {
      setStarting(true);
      try {
        const result = await api.startIndexing({ path });
        if (!result.ok) {
          return result.error;
        }
        const { taskId, repo } = result.value;
        setRun((current) => (current !== null && current.taskId === taskId ? current : { taskId, repo, progress: null, done: null }));
        return null;
      } finally {
        setStarting(false);
      }
    },
    [api],
  );

  const cancel = useCallback(async (): Promise<ResultError | null> => {
    if (run === null || run.done !== null) {
      return null;
    }
    const result = await api.cancelIndexing({ taskId: run.taskId });
    return result.ok ? null : result.error;
  }, [api, run]);

  return { run, starting, start, cancel };
}

/** A stable function that always calls the newest `callback`. */
function useLatest<T>(callback: ((value: T) => void) | undefined): (value: T) => void {
  const [holder] = useState(() => ({ current: callback }));
  holder.current = callback;
  const [call] = useState(() => (value: T) => holder.current?.(value));
  return call;
}
