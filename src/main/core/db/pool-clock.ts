/**
 * The pool's only way to read the time or wait: injected, so a policy test drives every
 * deadline (acquire timeout, create timeout, recycle, idle close, shutdown) with a manual
 * clock instead of waiting, and passes however loaded the machine is.
 */
export interface Clock {
  /** Milliseconds on this clock's scale (only differences matter). */
  now(): number;
  /** Calls `callback` once after `ms`; the handle cancels it. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** An opaque timer of a Clock. */
export interface TimerHandle {
  readonly __timer: unique symbol;
}

/** Wall time and Node's timers; the timers do not keep the process alive by themselves. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle as unknown as TimerHandle;
  },
  clearTimeout: (handle) => {
    clearTimeout(handle as unknown as NodeJS.Timeout | undefined);
  },
};

/** Settles with `promise`, or rejects with `error()` once `ms` have passed on `clock`. */
export function withDeadline<T>(clock: Clock, promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(error()), ms);
    promise.then(resolve, reject).finally(() => clock.clearTimeout(timer));
  });
}

/** Resolves when `promise` settles or `ms` have passed on `clock`, whichever comes first; true if it settled. */
export function settledWithin(clock: Clock, promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = clock.setTimeout(() => resolve(false), ms);
    void promise.then(
      () => {
        clock.clearTimeout(timer);
        resolve(true);
      },
      () => {
        clock.clearTimeout(timer);
        resolve(true);
      },
    );
  });
}
