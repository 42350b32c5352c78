import type { Logger } from '../log/logger';
import { guardCall } from './pool-call-guard';
import type { ReaderConnection } from './reader-connection';
import type { OpArgs, OpResult, OpTable } from './reader-protocol';

/** Bounds of one op run on a lease. */
export interface LeaseRunOptions {
  /** Aborting cancels the op in its thread and rejects at once with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds the op may run (the reader stops itself); 0 or absent means none. */
  readonly budgetMs?: number | undefined;
  /** The error an op past its budget rejects with. */
  readonly timeoutError?: (budgetMs: number) => Error;
}

/** What a lease needs from its pool. */
export interface LeaseHooks {
  /** Returns the connection to the pool. */
  readonly onRelease: () => void;
  /** The connection did not stop within the grace after a cancel or its budget: end its thread. */
  readonly onStuck: (reason: Error) => void;
  /** How long a reader may take to stop after a cancel or past its budget. */
  readonly graceMs: number;
}

/**
 * A checked-out connection. Ops run on it in order; `release()` returns it to the pool,
 * after the last op in flight has answered (or its thread was ended), so a connection is
 * never shared while busy.
 */
export class Lease<Ops extends OpTable> {
  private inFlight = 0;
  private releaseRequested = false;
  private released = false;

  constructor(
    private readonly connection: ReaderConnection,
    /** Who acquired it, for the leak and slow-query logs. */
    readonly label: string,
    private readonly slowQueryMs: number,
    private readonly logger: Logger,
    private readonly hooks: LeaseHooks,
  ) {}

  get connectionId(): number {
    return this.connection.id;
  }

  /** Runs a named op on this connection; slow ones are logged with their duration. */
  async run<K extends keyof Ops & string>(op: K, args: OpArgs<Ops[K]>, options: LeaseRunOptions = {}): Promise<OpResult<Ops[K]>> {
    if (this.releaseRequested) {
      throw new Error(`Connection ${this.connection.id} was already released by "${this.label}"`);
    }
    const budgetMs = options.budgetMs ?? 0;
    this.inFlight++;
    const call = this.connection.send(op, args, budgetMs);
    // The connection is busy until its thread answers, even when the caller stopped waiting.
    void call.outcome
      .catch(() => {})
      .finally(() => {
        this.inFlight--;
        this.releaseIfDone();
      });
    const outcome = await guardCall(call, {
      signal: options.signal,
      budgetMs,
      graceMs: this.hooks.graceMs,
      timeoutError: () => (options.timeoutError ?? defaultTimeoutError)(budgetMs),
      onStuck: this.hooks.onStuck,
    });
    if (outcome.durationMs >= this.slowQueryMs) {
      this.logger.warn(`Slow query: ${op} took ${outcome.durationMs.toFixed(1)} ms`, {
        op,
        label: this.label,
        duration_ms: Math.round(outcome.durationMs * 10) / 10,
        connection: this.connection.id,
      });
    }
    return outcome.value as OpResult<Ops[K]>;
  }

  /** Returns the connection to the pool; safe to call more than once. */
  release(): void {
    this.releaseRequested = true;
    this.releaseIfDone();
  }

  private releaseIfDone(): void {
    if (this.releaseRequested && !this.released && this.inFlight === 0) {
      this.released = true;
      this.hooks.onRelease();
    }
  }
}

function defaultTimeoutError(budgetMs: number): Error {
  return new Error(`The read did not finish within ${budgetMs} ms`);
}
