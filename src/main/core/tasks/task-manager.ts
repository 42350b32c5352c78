import { randomUUID } from 'node:crypto';
import type { TaskInfo, TaskStatus } from '../../../shared/types';
import { AppError } from '../base/errors';
import type { Logger } from '../log/logger';

export type TaskMetadata = Record<string, string | number | boolean | null>;

export interface TaskContext {
  readonly id: string;
  readonly signal: AbortSignal;
  /** 0..1 */
  readonly setProgress: (progress: number) => void;
  setMetadata(metadata: TaskMetadata): void;
  /**
   * Registers how to end the work by force (terminate its threads) when it does not stop on
   * its signal: called `stopGraceMs` after a cancel, and at the end of shutdown's timeout.
   */
  onForce(stop: () => Promise<void> | void): void;
}

export interface RunOptions {
  /** The task stays `pending` until this settles (the work it queues behind); a cancel meanwhile ends it at once. */
  readonly after?: Promise<unknown>;
}

export interface TaskHandle<T> {
  readonly id: string;
  /** Settles with the task's value; rejects with its error or an AbortError when cancelled. */
  readonly done: Promise<T>;
}

interface TaskRecord {
  info: TaskInfo;
  readonly controller: AbortController;
  settled: Promise<unknown>;
  /** When the task was asked to stop, so a task that ignores its signal can be told apart. */
  abortedAt: number | null;
  /** How to end the work by force; see TaskContext.onForce. */
  readonly force: (() => Promise<void> | void)[];
  /** The timer that forces a cancelled task that has not stopped within stopGraceMs. */
  forceTimer: NodeJS.Timeout | null;
}

export interface TaskCounts {
  readonly total: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Active tasks older than the maximum age, or still running long after they were cancelled. */
  readonly stuck: number;
  readonly types: readonly string[];
}

export interface ShutdownReport {
  /** Active tasks that stopped within the timeout. */
  readonly stopped: number;
  /** Tasks that ignored their signal; they were marked cancelled and detached (as they were before being forced). */
  readonly stuck: readonly TaskInfo[];
  readonly elapsedMs: number;
}

export interface TaskManagerOptions {
  readonly logger: Logger;
  /** Called on every change of a task, e.g. to push the `task` event. */
  readonly onChange?: (task: TaskInfo) => void;
  readonly now?: () => number;
  /** TASK_MAX_AGE in ms: active tasks older than this are cancelled by cleanup. Default 1 hour (seed). */
  readonly maxAgeMs?: number;
  /** TASK_HISTORY_LIMIT: finished tasks kept; older ones are pruned by cleanup. Default 200. */
  readonly historyLimit?: number;
  /** A cancelled task still running after this long is forced (see onForce) or counts as stuck. Default 10 s. */
  readonly stopGraceMs?: number;
}

/** Longest wait for a task's force callbacks (thread terminations) before shutdown goes on. */
export const FORCE_WAIT_MS = 2000;

const defaultMaxAgeMs = 3600 * 1000;
const defaultHistoryLimit = 200;
const defaultStopGraceMs = 10_000;

/**
 * Every piece of background work runs here as a tracked task with an AbortSignal. A failing
 * task never crashes the process: its error is kept on the record and shown.
 */
export class TaskManager {
  private readonly tasks = new Map<string, TaskRecord>();
  private accepting = true;
  private readonly now: () => number;
  private readonly maxAgeMs: number;
  private readonly historyLimit: number;
  private readonly stopGraceMs: number;

  constructor(private readonly options: TaskManagerOptions) {
    this.now = options.now ?? Date.now;
    this.maxAgeMs = options.maxAgeMs ?? defaultMaxAgeMs;
    this.historyLimit = options.historyLimit ?? defaultHistoryLimit;
    this.stopGraceMs = options.stopGraceMs ?? defaultStopGraceMs;
  }

  /** False once shutdown has begun. */
  get isAccepting(): boolean {
    return this.accepting;
  }

  run<T>(type: string, metadata: TaskMetadata, work: (context: TaskContext) => Promise<T>, options: RunOptions = {}): TaskHandle<T> {
    if (!this.accepting) {
      throw new AppError('shutting_down', 'The app is shutting down and accepts no new tasks');
    }
    const id = randomUUID();
    const controller = new AbortController();
    const record: TaskRecord = {
      info: { id, type, status: 'pending', createdAt: this.now(), startedAt: null, finishedAt: null, progress: null, metadata: { ...metadata }, error: null },
      controller,
      settled: Promise.resolve(),
      abortedAt: null,
      force: [],
      forceTimer: null,
    };
    this.tasks.set(id, record);
    this.update(record, {});
    const context: TaskContext = {
      id,
      signal: controller.signal,
      setProgress: (progress) => this.update(record, { progress: Math.max(0, Math.min(1, progress)) }),
      setMetadata: (extra) => this.update(record, { metadata: { ...record.info.metadata, ...extra } }),
      onForce: (stop) => {
        record.force.push(stop);
      },
    };
    const done = (async () => {
      await Promise.resolve();
      controller.signal.throwIfAborted();
      if (options.after !== undefined) await settledOrAborted(options.after, controller.signal);
      this.update(record, { status: 'running', startedAt: this.now() });
      return work(context);
    })();
    record.settled = done.then(
      () => this.finish(record, 'completed', null),
      (error: unknown) => {
        // Cancelled tasks keep why they were stopped (by request, too old, shutting down).
        const cancelled = controller.signal.aborted;
        this.finish(record, cancelled ? 'cancelled' : 'failed', cancelled ? errorMessage(controller.signal.reason) : errorMessage(error));
      },
    );
    return { id, done };
  }

  /**
   * Asks a task to stop; one that has not stopped `stopGraceMs` later is ended by force, so
   * a cancelled task never stays running. Returns false when no such task is active.
   */
  cancel(id: string, reason = 'Cancelled by request'): boolean {
    const record = this.tasks.get(id);
    if (record === undefined || !isActive(record.info.status)) return false;
    this.abort(record, reason);
    if (record.forceTimer === null) {
      record.forceTimer = setTimeout(() => void this.force(record, `did not stop within ${this.stopGraceMs} ms of being cancelled`), this.stopGraceMs);
      record.forceTimer.unref();
    }
    return true;
  }

  get(id: string): TaskInfo | undefined {
    return this.tasks.get(id)?.info;
  }

  list(): TaskInfo[] {
    return [...this.tasks.values()].map((record) => record.info);
  }

  counts(): TaskCounts {
    let active = 0;
    let completed = 0;
    let failed = 0;
    let cancelled = 0;
    let stuck = 0;
    const now = this.now();
    const types = new Set<string>();
    for (const record of this.tasks.values()) {
      const { info } = record;
      types.add(info.type);
      if (isActive(info.status)) {
        active += 1;
        if (this.isStuck(record, now)) stuck += 1;
      } else if (info.status === 'completed') completed += 1;
      else if (info.status === 'failed') failed += 1;
      else cancelled += 1;
    }
    return { total: this.tasks.size, active, completed, failed, cancelled, stuck, types: [...types].sort() };
  }

  /**
   * The seed's cleanup: cancels active tasks older than the maximum age and prunes the
   * oldest finished tasks beyond the history limit. Returns how many tasks it cleaned up
   * and logs the seed's line when that is more than none.
   */
  cleanup(): number {
    const now = this.now();
    let cancelled = 0;
    for (const record of this.tasks.values()) {
      if (isActive(record.info.status) && record.abortedAt === null && now - record.info.createdAt > this.maxAgeMs) {
        this.abort(record, `Cancelled after running longer than ${Math.round(this.maxAgeMs / 1000)} s`);
        cancelled += 1;
      }
    }
    const finished = [...this.tasks.values()].filter((record) => !isActive(record.info.status));
    const excess = finished.length - this.historyLimit;
    let pruned = 0;
    if (excess > 0) {
      finished.sort((a, b) => (a.info.finishedAt ?? 0) - (b.info.finishedAt ?? 0));
      for (const record of finished.slice(0, excess)) {
        this.tasks.delete(record.info.id);
        pruned += 1;
      }
    }
    const total = cancelled + pruned;
    if (total > 0) {
      this.options.logger.info(`Cleaned up ${total} old background tasks`, { cancelled, pruned });
    }
    return total;
  }

  /**
   * Graceful shutdown: stops accepting, aborts every active task, waits for them up to
   * `timeoutMs`, then forces the rest (their threads terminated, waiting at most
   * `forceWaitMs` for that) and reports each one that did not stop. Ends within both.
   * `statedMs` is the timeout the log names: the setting, where `timeoutMs` is what is left of it.
   */
  async shutdown(timeoutMs: number, forceWaitMs = FORCE_WAIT_MS, statedMs = timeoutMs): Promise<ShutdownReport> {
    const started = Date.now();
    this.accepting = false;
    const active = [...this.tasks.values()].filter((record) => isActive(record.info.status));
    for (const record of active) {
      this.abort(record, 'Shutting down');
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all(active.map((record) => record.settled)), timeout]);
    clearTimeout(timer);
    const stuck = active.filter((record) => isActive(record.info.status));
    const stuckInfos = stuck.map((record) => record.info);
    await Promise.all(stuck.map((record) => this.force(record, `did not stop within ${statedMs} ms of shutdown`, forceWaitMs)));
    return { stopped: active.length - stuck.length, stuck: stuckInfos, elapsedMs: Date.now() - started };
  }

  /**
   * Ends a task that ignored its signal: runs its force callbacks (waiting at most
   * `waitMs` for them), then marks it cancelled so nothing waits on it any more. The record
   * says whether its threads were terminated or did not end in time.
   */
  private async force(record: TaskRecord, why: string, waitMs = FORCE_WAIT_MS): Promise<void> {
    if (record.forceTimer !== null) {
      clearTimeout(record.forceTimer);
      record.forceTimer = null;
    }
    if (!isActive(record.info.status)) return;
    const terminated = record.force.length > 0;
    this.options.logger.error(`Task ${record.info.type} ${record.info.id} ${why}; ${terminated ? 'terminating its threads' : 'detaching it'}`, {
      taskId: record.info.id,
      type: record.info.type,
    });
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      Promise.allSettled(record.force.map(async (stop) => stop())).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), waitMs);
      }),
    ]);
    clearTimeout(timer);
    // Without force callbacks the task is only detached (its promise no longer awaited): the message says no more than that.
    const outcome = !terminated ? '' : ended ? '; its threads were terminated' : `; its threads did not end within ${waitMs} ms`;
    this.finish(record, 'cancelled', `Forced: ${why}${outcome}`);
  }

  private isStuck(record: TaskRecord, now: number): boolean {
    if (record.abortedAt !== null) return now - record.abortedAt > this.stopGraceMs;
    return now - record.info.createdAt > this.maxAgeMs;
  }

  private abort(record: TaskRecord, reason: string): void {
    if (record.controller.signal.aborted) return;
    record.abortedAt = this.now();
    record.controller.abort(new DOMException(reason, 'AbortError'));
  }

  private finish(record: TaskRecord, status: TaskStatus, error: string | null): void {
    // A forced task may settle later; its record already says how it ended.
    if (!isActive(record.info.status)) return;
    if (record.forceTimer !== null) {
      clearTimeout(record.forceTimer);
      record.forceTimer = null;
    }
    this.update(record, { status, error, finishedAt: this.now() });
    if (status === 'failed') {
      this.options.logger.error(`Task ${record.info.type} failed: ${error}`, { taskId: record.info.id });
    }
  }

  private update(record: TaskRecord, change: Partial<TaskInfo>): void {
    record.info = { ...record.info, ...change };
    this.options.onChange?.(record.info);
  }
}

/** Resolves when `work` settles, either way; rejects with the signal's reason if it aborts first. */
function settledOrAborted(work: Promise<unknown>, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    work.then(done, done);
  });
}

export function isActive(status: TaskStatus): boolean {
  return status === 'pending' || status === 'running';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
