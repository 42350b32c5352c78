/**
 * Everything that holds a timer, a listener, a worker or a connection is registered in a
 * DisposableStore the moment it is created and released in one place (VS Code's pattern).
 * This is the direct cure for the leaks the seed describes.
 */
export interface Disposable {
  /** Releases what it holds; given a deadline (shutdown), it stops waiting politely by `untilSoft()` and is done by `untilHard()`. */
  dispose(deadline?: ShutdownDeadline): void | Promise<void>;
}

/** What a shutdown may take past SHUTDOWN_TIMEOUT to end by force what did not stop (thread terminations). */
export const SHUTDOWN_MARGIN_MS = 3000;

/** Time and timers of a deadline; injectable so a test drives it with a manual clock. */
export interface DeadlineClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: never): void;
}

const systemTimers: DeadlineClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle: NodeJS.Timeout) => clearTimeout(handle),
};

/**
 * One shutdown's time: `softMs` (SHUTDOWN_TIMEOUT) for work to stop on its signal, then
 * `marginMs` more to end by force what did not. Every owner takes its waits from it, so the
 * whole shutdown ends by the hard end instead of adding up each owner's own timeout.
 */
export class ShutdownDeadline {
  readonly softAt: number;
  readonly hardAt: number;

  constructor(
    softMs: number,
    marginMs: number,
    private readonly clock: DeadlineClock = systemTimers,
  ) {
    this.softAt = clock.now() + softMs;
    this.hardAt = this.softAt + marginMs;
  }

  /** Milliseconds left to wait for a polite stop (0 once past). */
  untilSoft(): number {
    return Math.max(0, this.softAt - this.clock.now());
  }

  /** Milliseconds left before everything must be over (0 once past). */
  untilHard(): number {
    return Math.max(0, this.hardAt - this.clock.now());
  }

  /** Waits for `work` at most until the hard end; true if it settled (either way) in time. */
  within(work: Promise<unknown>): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = this.clock.setTimeout(() => resolve(false), this.untilHard());
      const done = (): void => {
        this.clock.clearTimeout(timer as never);
        resolve(true);
      };
      work.then(done, done);
    });
  }
}

export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;
  /** Items whose dispose had not ended by the hard deadline (they were left behind). */
  overdue = 0;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      void item.dispose();
      throw new Error('DisposableStore is already disposed');
    }
    this.items.push(item);
    return item;
  }

  /**
   * Disposes in reverse order of registration, so later resources go first. With a deadline,
   * each item is given it and waited for at most until its hard end: the store is done by then.
   */
  async dispose(deadline?: ShutdownDeadline): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of this.items.splice(0).reverse()) {
      try {
        const result = Promise.resolve(item.dispose(deadline));
        if (deadline === undefined) {
          await result;
        } else if (!(await deadline.within(result))) {
          this.overdue++;
          result.catch(() => {});
        } else {
          await result;
        }
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) {
      throw new AggregateError(errors, 'Some resources failed to dispose');
    }
  }
}

export function toDisposable(dispose: (deadline?: ShutdownDeadline) => void | Promise<void>): Disposable {
  return { dispose };
}

/**
 * Runs `callback` every `ms` (unref'd). A throw is handed to `onError` (default: a process
 * warning) and the timer goes on: a periodic job must never end the process.
 */
export function interval(callback: () => void, ms: number, onError: (error: unknown) => void = (error) => process.emitWarning(String(error))): Disposable {
  const handle = setInterval(() => {
    try {
      callback();
    } catch (error) {
      onError(error);
    }
  }, ms);
  handle.unref();
  return toDisposable(() => clearInterval(handle));
}
