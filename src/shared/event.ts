/**
 * The one event primitive of every process (VS Code's shape): an `Emitter<T>` owns the
 * listeners and fires; it hands out `event`, an `Event<T>` that subscribers call with a
 * listener and that returns the `Disposable` ending the subscription.
 */

/** Anything that holds a resource until disposed. The core's DisposableStore accepts it. */
export interface Disposable {
  dispose(): void;
}

/** Subscribes a listener; dispose the result to unsubscribe. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

export interface EmitterOptions {
  /** Called before the first listener is added: attach the one underlying source here. */
  readonly onWillAddFirstListener?: () => void;
  /** Called after the last listener is removed: detach that source here. */
  readonly onDidRemoveLastListener?: () => void;
  /** A throwing listener never stops the others; its error goes here (default: console.error). */
  readonly onListenerError?: (error: unknown) => void;
}

/** Owns a set of listeners. A fire calls those present when it began and still subscribed. */
export class Emitter<T> implements Disposable {
  // One entry per subscription, so the same function subscribed twice is called twice.
  private readonly listeners = new Set<{ readonly call: (value: T) => void }>();
  private disposed = false;

  constructor(private readonly options: EmitterOptions = {}) {}

  /** The subscribe function handed to others; they can listen, not fire. */
  readonly event: Event<T> = (listener) => {
    if (this.disposed) {
      return { dispose: () => undefined };
    }
    const entry = { call: listener };
    if (this.listeners.size === 0) {
      this.options.onWillAddFirstListener?.();
    }
    this.listeners.add(entry);
    return {
      dispose: () => {
        if (this.listeners.delete(entry) && this.listeners.size === 0) {
          this.options.onDidRemoveLastListener?.();
        }
      },
    };
  };

  fire(value: T): void {
    for (const entry of [...this.listeners]) {
      // One removed by an earlier listener of this same fire is not called.
      if (!this.listeners.has(entry)) {
        continue;
      }
      try {
        entry.call(value);
      } catch (error) {
        (this.options.onListenerError ?? console.error)(error);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Drops every listener; later subscriptions are no-ops. */
  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    const had = this.listeners.size > 0;
    this.listeners.clear();
    if (had) {
      this.options.onDidRemoveLastListener?.();
    }
  }
}
