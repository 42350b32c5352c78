import type { FaultRegister } from './base/faults';
import type { Logger } from './log/logger';

/** What the owner of a periodic job tells after each run. */
export interface PeriodicHealth {
  /** `logged`: the error is in the log already (a failed task), so it is not logged twice. */
  failed(error: unknown, logged?: boolean): void;
  succeeded(): void;
}

/**
 * How every periodic job the core runs (the memory sampler, task cleanup and GC, the reader
 * pool's upkeep) survives its own errors: a failure is logged and opens the fault `source`,
 * which health reports as degraded, until a run of the job succeeds again. The job goes on.
 */
export function periodicHealth(logger: Logger, faults: FaultRegister, source: string, job: string, everyMs: number): PeriodicHealth {
  return {
    failed(error, logged = false) {
      const message = `${job} failed: ${error instanceof Error ? error.message : String(error)}`;
      if (!logged) logger.error(message);
      faults.report({ source, severity: 'degraded', message: `${message} (retrying every ${everyMs} ms)` });
    },
    succeeded: () => faults.clear(source),
  };
}
