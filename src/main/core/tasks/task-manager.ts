import { randomUUID } from 'node:crypto';
import type { TaskInfo, TaskStatus } from '../../../shared/types';
import { AppError } from '../errors';
import type { Logger } from '../log/logger';

export type TaskMetadata = Record<string, string | number | boolean | null>;

export interface TaskContext {
  readonly id: string;
  readonly signal: AbortSignal;
  /** 0..1 */
  setProgress(progress: number): void;
  setMetadata(metadata: TaskMetadata): void;
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
}

export interface TaskCounts {
  readonly total: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly types: readonly string[];
}

export interface TaskManagerOptions {
  readonly logger: Logger;
  /** Called on every change of a task, e.g. to push the `task` event. */
  readonly onChange?: (task: TaskInfo) => void;
  readonly now?: () => number;
}

/**
 * Every piece of background work runs here as a tracked task with an AbortSignal. A failing
 * task never crashes the process: its error is kept on the record and shown.
 */
export class TaskManager {
  private readonly tasks = new Map<string, TaskRecord>();
  private accepting = true;
  private readonly now: () => number;

  constructor(private readonly options: TaskManagerOptions) {
    this.now = options.now ?? Date.now;
  }

  run<T>(type: string, metadata: TaskMetadata, work: (context: TaskContext) => Promise<T>): TaskHandle<T> {
    if (!this.accepting) {
      throw new AppError('shutting_down', 'The app is shutting down and accepts no new tasks');
    }
    const id = randomUUID();
    const controller = new AbortController();
    const record: TaskRecord = {
      info: { id, type, status: 'pending', createdAt: this.now(), startedAt: null, finishedAt: null, progress: null, metadata: { ...metadata }, error: null },
      controller,
      settled: Promise.resolve(),
    };
    this.tasks.set(id, record);
    this.update(record, {});
    const context: TaskContext = {
      id,
      signal: controller.signal,
      setProgress: (progress) => this.update(record, { progress: Math.max(0, Math.min(1, progress)) }),
      setMetadata: (extra) => this.update(record, { metadata: { ...record.info.metadata, ...extra } }),
    };
    const done = (async () => {
      await Promise.resolve();
      controller.signal.throwIfAborted();
      this.update(record, { status: 'running', startedAt: this.now() });
      return work(context);
    })();
    record.settled = done.then(
      () => this.finish(record, 'completed', null),
      (error: unknown) => {
        const cancelled = controller.signal.aborted;
        this.finish(record, cancelled ? 'cancelled' : 'failed', cancelled ? null : errorMessage(error));
      },
    );
    return { id, done };
  }

  /** Returns false when no such task is active. */
  cancel(id: string, reason = 'Cancelled by request'): boolean {
    const record = this.tasks.get(id);
    if (record === undefined || !isActive(record.info.status)) return false;
    record.controller.abort(new DOMException(reason, 'AbortError'));
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
    const types = new Set<string>();
    for (const { info } of this.tasks.values()) {
      types.add(info.type);
      if (isActive(info.status)) active += 1;
      else if (info.status === 'completed') completed += 1;
      else if (info.status === 'failed') failed += 1;
      else cancelled += 1;
    }
    return { total: this.tasks.size, active, completed, failed, cancelled, types: [...types].sort() };
  }

  /** Stops accepting, aborts every active task and waits for them up to `timeoutMs`. */
  async shutdown(timeoutMs: number): Promise<{ stopped: number; stuck: TaskInfo[] }> {
    this.accepting = false;
    const active = [...this.tasks.values()].filter((record) => isActive(record.info.status));
    for (const record of active) record.controller.abort(new DOMException('Shutting down', 'AbortError'));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all(active.map((record) => record.settled)), timeout]);
    clearTimeout(timer);
    const stuck = active.filter((record) => isActive(record.info.status)).map((record) => record.info);
    for (const info of stuck) {
      this.options.logger.error(`Task ${info.type} ${info.id} did not stop within ${timeoutMs} ms of shutdown`);
    }
    return { stopped: active.length - stuck.length, stuck };
  }

  private finish(record: TaskRecord, status: TaskStatus, error: string | null): void {
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

export function isActive(status: TaskStatus): boolean {
  return status === 'pending' || status === 'running';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
