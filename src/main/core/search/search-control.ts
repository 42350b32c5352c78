import { AppError } from '../base/errors';

/**
 * What a running search polls to learn that it must stop: its deadline and a cancel flag the
 * main thread can raise while the reader thread is busy (a SharedArrayBuffer, so no message
 * has to wait behind the scan). The scan calls `check()` between documents.
 */
export interface SearchControl {
  /** Throws the timeout or cancellation error once the search must stop. */
  check(): void;
  /** Milliseconds on the control's clock (injected in tests). */
  readonly now: () => number;
  /** The clock reading the search must end by; Infinity without a budget. */
  readonly deadline: number;
}

export interface SearchControlOptions {
  /** Milliseconds the search may run, from now; absent or 0 means no budget. */
  readonly budgetMs?: number | undefined;
  /** True once the search is cancelled (the reader reads a shared flag). */
  readonly cancelled?: (() => boolean) | undefined;
  readonly now?: () => number;
}

/** A control that never stops the search (in-process callers that own their own time). */
export const unbounded: SearchControl = { check: () => {}, now: () => performance.now(), deadline: Number.POSITIVE_INFINITY };

export function searchControl(options: SearchControlOptions): SearchControl {
  const now = options.now ?? (() => performance.now());
  const budgetMs = options.budgetMs ?? 0;
  const deadline = budgetMs > 0 ? now() + budgetMs : Number.POSITIVE_INFINITY;
  const cancelled = options.cancelled;
  return {
    now,
    deadline,
    check() {
      if (cancelled?.() === true) {
        throw searchCancelled();
      }
      if (now() >= deadline) {
        throw searchTimedOut(budgetMs);
      }
    },
  };
}

/** The error of a search stopped at its budget (SEARCH_TIMEOUT_MS). */
export function searchTimedOut(budgetMs: number): AppError {
  return new AppError('timeout', `Search stopped after its time budget of ${budgetMs} ms (SEARCH_TIMEOUT_MS); narrow the query or raise the setting`);
}

/** The error of a search cancelled from outside; the main thread words the reason when it knows it. */
export function searchCancelled(reason = 'it was cancelled'): AppError {
  return new AppError('cancelled', `Search cancelled: ${reason}`);
}
