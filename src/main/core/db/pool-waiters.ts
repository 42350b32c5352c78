import type { Clock, TimerHandle } from './pool-clock';
import { abortReason } from './pool-promises';
import { WaiterQueue } from './waiter-queue';

/**
 * One request waiting for a connection. It is queued, then validating while the pool
 * pre-pings the connection picked for it, then done (served, timed out, aborted or failed).
 */
export class Waiter<R> {
  state: 'queued' | 'validating' | 'done' = 'queued';
  /** Set when the deadline passes or the caller aborts while its connection is validated. */
  cancelled: Error | undefined;
  private timer: TimerHandle | undefined;
  private detach: () => void = () => {};

  constructor(
    /** Who is asking, for the leak and slow-query logs. */
    readonly label: string,
    private readonly clock: Clock,
    private readonly resolve: (resource: R) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  /** Starts the deadline and listens to the caller's abort signal; both stop when the wait ends. */
  arm(timeoutMs: number, onDeadline: () => void, signal: AbortSignal | undefined, onAbort: (reason: Error) => void): void {
    this.timer = this.clock.setTimeout(onDeadline, timeoutMs);
    if (signal !== undefined) {
      const listener = (): void => onAbort(abortReason(signal));
      signal.addEventListener('abort', listener, { once: true });
      this.detach = () => signal.removeEventListener('abort', listener);
    }
  }

  /** Ends the wait with a connection. */
  serve(resource: R): void {
    this.end();
    this.resolve(resource);
  }

  /** Ends the wait with an error. */
  fail(error: Error): void {
    this.end();
    this.reject(error);
  }

  private end(): void {
    this.clock.clearTimeout(this.timer);
    this.detach();
    this.state = 'done';
  }
}

export interface WaitingLineHooks {
  /** The error of a waiter whose deadline passed, built when it passes (it names the pool's state). */
  readonly timeoutError: () => Error;
  /** Told of every waiter that timed out, for the counters and the log. */
  readonly onTimeout: (label: string, error: Error) => void;
}

/**
 * The requests waiting for a connection, first come first served, each bounded by its own
 * deadline and abort signal. A waiter whose connection fails its pre-ping goes back to the
 * front of the line, so it does not lose its turn.
 */
export class WaitingLine<R> {
  private readonly queue = new WaiterQueue<Waiter<R>>();

  constructor(
    private readonly clock: Clock,
    private readonly hooks: WaitingLineHooks,
  ) {}

  get size(): number {
    return this.queue.size;
  }

  /** Joins the end of the line; settles when a connection is handed over or the wait ends. */
  join(label: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const waiter = new Waiter<R>(label, this.clock, resolve, reject);
      waiter.arm(
        timeoutMs,
        () => this.cancel(waiter, this.hooks.timeoutError(), true),
        signal,
        (reason) => this.cancel(waiter, reason, false),
      );
      this.queue.push(waiter);
    });
  }

  /** Takes the oldest waiter out of the line to validate a connection for it. */
  next(): Waiter<R> | undefined {
    const waiter = this.queue.shift();
    if (waiter !== undefined) {
      waiter.state = 'validating';
    }
    return waiter;
  }

  /** Puts a waiter whose connection failed validation back at the front. */
  putBack(waiter: Waiter<R>): void {
    waiter.state = 'queued';
    this.queue.unshift(waiter);
  }

  /** Fails every queued waiter, oldest first (shutdown). */
  failAll(error: Error): void {
    for (const waiter of this.queue.drain()) {
      waiter.fail(error);
    }
  }

  private cancel(waiter: Waiter<R>, error: Error, timedOut: boolean): void {
    if (waiter.state === 'queued') {
      this.queue.remove(waiter);
      if (timedOut) {
        this.hooks.onTimeout(waiter.label, error);
      }
      waiter.fail(error);
    } else if (waiter.state === 'validating') {
      waiter.cancelled = error;
    }
  }
}
