import type { AlertEvent } from '../../../shared/types';
import type { Logger } from '../log/logger';
import type { ReaderConnection } from './reader-connection';

/** The seed warns when this share of DATABASE_MAX_CONNECTIONS is checked out. */
const usageWarningRatio = 0.9;

/** Idle connections the pool keeps warm when work has ended; the others close (DATABASE_POOL_IDLE_TIMEOUT, or a cleanup). */
export const IDLE_CONNECTIONS_KEPT = 1;

interface Checkout {
  readonly label: string;
  readonly since: number;
  leakReported: boolean;
}

/**
 * Who holds which connection since when, so a connection held past
 * DATABASE_POOL_LEAK_TIMEOUT is reported once as a probable leak, naming who acquired it.
 */
export class LeakWatch {
  private readonly checkouts = new Map<ReaderConnection, Checkout>();

  constructor(
    private readonly leakTimeoutMs: number,
    private readonly logger: Logger,
  ) {}

  checkedOut(connection: ReaderConnection, label: string, now: number): void {
    this.checkouts.set(connection, { label, since: now, leakReported: false });
  }

  returned(connection: ReaderConnection): void {
    this.checkouts.delete(connection);
  }

  holds(connection: ReaderConnection): boolean {
    return this.checkouts.has(connection);
  }

  /** Logs each checkout held past the leak timeout, once. */
  report(now: number): void {
    for (const [connection, checkout] of this.checkouts) {
      const heldMs = now - checkout.since;
      if (!checkout.leakReported && heldMs >= this.leakTimeoutMs) {
        checkout.leakReported = true;
        this.logger.warn(`Probable connection leak: connection ${connection.id} checked out for ${(heldMs / 1000).toFixed(1)} s by "${checkout.label}"`, {
          connection: connection.id,
          label: checkout.label,
          held_ms: Math.round(heldMs),
        });
      }
    }
  }
}

/** The seed's warning at 90% usage, at most once per DATABASE_POOL_WARN_INTERVAL, logged and raised as an alert. */
export class UsageWarning {
  private lastWarningAt: number | undefined;

  constructor(
    private readonly maxConnections: number,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    private readonly onAlert: ((alert: AlertEvent) => void) | undefined,
  ) {}

  check(checkedOut: number, now: number): void {
    const ratio = checkedOut / this.maxConnections;
    if (ratio < usageWarningRatio || (this.lastWarningAt !== undefined && now - this.lastWarningAt < this.intervalMs)) {
      return;
    }
    this.lastWarningAt = now;
    const percent = ratio * 100;
    const message = `High connection usage detected: ${checkedOut}/${this.maxConnections} connections checked out (${percent.toFixed(1)}%)`;
    this.logger.warn(message, { checked_out: checkedOut, max_connections: this.maxConnections });
    this.onAlert?.({ time: now, kind: 'pool_usage', message, value: percent });
  }
}
