import { interval, toDisposable, type Disposable } from '../base/lifecycle';
import type { TaskManager } from './task-manager';

/** A job run every `intervalMs` as a tracked task of `type`, e.g. the monitor's periodic GC. */
export interface PeriodicJob {
  readonly type: string;
  readonly intervalMs: number;
  run(): void;
}

export interface MaintenanceOptions {
  readonly tasks: TaskManager;
  /** TASK_CLEANUP_INTERVAL in ms (seed: 5 minutes). */
  readonly cleanupIntervalMs: number;
  /** The other periodic jobs (the composition root adds the GC where GC is exposed). */
  readonly jobs?: readonly PeriodicJob[];
  /**
   * How each run of a job ended: null when it ran through, else what it threw and whether it
   * is logged already (a failed task is, by the task manager; a throw the timer caught is not).
   */
  readonly onOutcome?: (job: PeriodicJob, failure: { readonly error: unknown; readonly logged: boolean } | null) => void;
}

/**
 * The seed's periodic jobs, each run as a tracked task: cleanup of old and finished tasks
 * every TASK_CLEANUP_INTERVAL, and the jobs given (a full GC every GC_INTERVAL).
 * Timers are unref'd so they never keep the process alive.
 */
export function scheduleMaintenance(options: MaintenanceOptions): Disposable {
  const { tasks } = options;
  const jobs: readonly PeriodicJob[] = [{ type: 'periodic_cleanup', intervalMs: options.cleanupIntervalMs, run: () => tasks.cleanup() }, ...(options.jobs ?? [])];
  const outcome = options.onOutcome ?? (() => {});
  const timers = jobs.map((job) =>
    interval(
      () => {
        if (!tasks.isAccepting) return;
        // The task's outcome is on its record too; nothing else awaits the promise.
        tasks
          .run(job.type, {}, () => new Promise<void>((resolve) => resolve(job.run())))
          .done.then(
            () => outcome(job, null),
            (error: unknown) => outcome(job, { error, logged: true }),
          );
      },
      job.intervalMs,
      (error) => outcome(job, { error, logged: false }),
    ),
  );
  return toDisposable(() => {
    for (const timer of timers) void timer.dispose();
  });
}
