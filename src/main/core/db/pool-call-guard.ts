import { abortReason } from './pool-promises';
import type { CallHandle, CallOutcome } from './reader-connection';

export interface CallGuardOptions {
  /** Aborting cancels the call and rejects at once with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** The op's time budget, which the reader enforces itself; 0 means none. */
  readonly budgetMs: number;
  /** How long a reader may take to stop after a cancel or past its budget before it counts as stuck. */
  readonly graceMs: number;
  /** The error a call past its budget rejects with. */
  readonly timeoutError: () => Error;
  /** Called once when the reader did not answer within the grace: the pool terminates and replaces it. */
  readonly onStuck: (reason: Error) => void;
}

/**
 * Bounds one call in time whatever the reader does. The reader stops cooperatively (it polls
 * its deadline and the shared cancel flag between documents); if it does not answer by the
 * deadline plus a grace, or within the grace after a cancel, it is stuck (a regex that
 * backtracks inside one line never reaches a check) and `onStuck` ends its thread.
 */
export function guardCall(call: CallHandle, options: CallGuardOptions): Promise<CallOutcome> {
  const { signal, budgetMs, graceMs } = options;
  return new Promise<CallOutcome>((resolve, reject) => {
    let answered = false;
    let stuckTimer: NodeJS.Timeout | undefined;
    let budgetTimer: NodeJS.Timeout | undefined;
    const stuck = (reason: Error): void => {
      if (!answered) {
        options.onStuck(reason);
      }
    };
    const onAbort = (): void => {
      if (signal === undefined) {
        return;
      }
      const reason = abortReason(signal);
      call.cancel();
      reject(reason);
      stuckTimer ??= setTimeout(() => stuck(reason), graceMs);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted === true) {
      onAbort();
    }
    if (budgetMs > 0) {
      budgetTimer = setTimeout(() => {
        const reason = options.timeoutError();
        call.cancel();
        reject(reason);
        stuck(reason);
      }, budgetMs + graceMs);
    }
    call.outcome.then(resolve, reject).finally(() => {
      answered = true;
      clearTimeout(stuckTimer);
      clearTimeout(budgetTimer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}
