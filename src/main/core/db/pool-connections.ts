import type { ReaderConnection } from './reader-connection';

/** How many connections the pool holds, by kind; `pooled` and `overflow` include those opening. */
export interface ConnectionCounts {
  readonly size: number;
  readonly opening: number;
  readonly idle: number;
  readonly checkedOut: number;
  readonly pooled: number;
  readonly overflow: number;
}

/**
 * The pool's connections and what it knows of them: which are idle (a stack, most recently
 * returned last, so handing out the warmest lets the others age out), which are fresh, and
 * which are still closing.
 */
export class ConnectionSet {
  private readonly all = new Set<ReaderConnection>();
  private readonly idle: ReaderConnection[] = [];
  /** When each idle connection became idle, by the pool's clock. */
  private readonly idleSince = new Map<ReaderConnection, number>();
  /** Opened and not yet used, so already proven to work: no pre-ping needed. */
  private readonly fresh = new WeakSet<ReaderConnection>();
  private readonly closing = new Set<Promise<void>>();

  /** `now` is the pool's clock (injectable, so tests need not wait for idle timeouts). */
  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.all.size;
  }

  add(connection: ReaderConnection): void {
    this.all.add(connection);
  }

  has(connection: ReaderConnection): boolean {
    return this.all.has(connection);
  }

  /** Makes a connection available: just opened (`fresh`) or returned. */
  makeIdle(connection: ReaderConnection, fresh = false): void {
    connection.state = 'idle';
    if (fresh) {
      this.fresh.add(connection);
    }
    this.idle.push(connection);
    this.idleSince.set(connection, this.now());
  }

  /** Takes the most recently returned idle connection. */
  takeIdle(): ReaderConnection | undefined {
    const connection = this.idle.pop();
    if (connection !== undefined) {
      this.idleSince.delete(connection);
    }
    return connection;
  }

  /**
   * Idle connections beyond the `keep` most recently returned, idle since `idleBefore` or
   * earlier: those the pool closes when work has ended (Infinity: all of them at once).
   */
  idleBeyond(keep: number, idleBefore = Infinity): ReaderConnection[] {
    return this.idle.slice(0, Math.max(0, this.idle.length - keep)).filter((connection) => (this.idleSince.get(connection) ?? Infinity) <= idleBefore);
  }

  /** True the first time a connection that has never been handed out is asked about. */
  takeFresh(connection: ReaderConnection): boolean {
    return this.fresh.delete(connection);
  }

  idleWhere(predicate: (connection: ReaderConnection) => boolean): ReaderConnection[] {
    return this.idle.filter(predicate);
  }

  /** Connections whose thread is open and serving: idle or checked out. */
  serving(): ReaderConnection[] {
    return [...this.all].filter((connection) => connection.state === 'idle' || connection.state === 'checked_out');
  }

  counts(): ConnectionCounts {
    let opening = 0;
    let checkedOut = 0;
    let overflow = 0;
    for (const connection of this.all) {
      if (connection.state === 'opening') {
        opening++;
      } else if (connection.state === 'checked_out') {
        checkedOut++;
      }
      if (connection.overflow) {
        overflow++;
      }
    }
    return { size: this.all.size, opening, idle: this.idle.length, checkedOut, pooled: this.all.size - overflow, overflow };
  }

  /**
   * Removes a connection and closes its thread in the background; `graceMs` 0 stops it at
   * once. Returns false if the connection was already removed.
   */
  discard(connection: ReaderConnection, reason: Error, graceMs?: number): boolean {
    if (!this.all.delete(connection)) {
      return false;
    }
    const index = this.idle.indexOf(connection);
    if (index >= 0) {
      this.idle.splice(index, 1);
    }
    this.idleSince.delete(connection);
    const closed = connection.close(reason, graceMs).catch(() => {});
    this.closing.add(closed);
    void closed.then(() => this.closing.delete(closed));
    return true;
  }

  /** Discards every connection; those still checked out are stopped at once. */
  discardAll(reason: Error): void {
    for (const connection of [...this.all]) {
      this.discard(connection, reason, connection.state === 'checked_out' ? 0 : undefined);
    }
  }

  /** Settles when every discarded thread has exited. */
  async closed(): Promise<void> {
    while (this.closing.size > 0) {
      await Promise.all(this.closing);
    }
  }
}
