import type { Logger } from '../log/logger';
import type { ReaderConnection } from './reader-connection';
import type { OpArgs, OpResult, OpTable } from './reader-ops';

/**
 * A checked-out connection. Ops run on it in order; `release()` returns it to the pool,
 * after the last op in flight has answered, so a connection is never shared while busy.
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
    private readonly onRelease: () => void,
  ) {}

  get connectionId(): number {
    return this.connection.id;
  }

  /** Runs a named op on this connection; slow ones are logged with their duration. */
  async run<K extends keyof Ops & string>(op: K, args: OpArgs<Ops[K]>): Promise<OpResult<Ops[K]>> {
    if (this.releaseRequested) {
      throw new Error(`Connection ${this.connection.id} was already released by "${this.label}"`);
    }
    this.inFlight++;
    try {
      const outcome = await this.connection.call(op, args);
      if (outcome.durationMs >= this.slowQueryMs) {
        this.logger.warn(`Slow query: ${op} took ${outcome.durationMs.toFixed(1)} ms`, {
          op,
          label: this.label,
          duration_ms: Math.round(outcome.durationMs * 10) / 10,
          connection: this.connection.id,
        });
      }
      return outcome.value as OpResult<Ops[K]>;
    } finally {
      this.inFlight--;
      this.releaseIfDone();
    }
  }

  /** Returns the connection to the pool; safe to call more than once. */
  release(): void {
    this.releaseRequested = true;
    this.releaseIfDone();
  }

  private releaseIfDone(): void {
    if (this.releaseRequested && !this.released && this.inFlight === 0) {
      this.released = true;
      this.onRelease();
    }
  }
}
