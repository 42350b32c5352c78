/**
 * Everything that holds a timer, a listener, a worker or a connection is registered in a
 * DisposableStore the moment it is created and released in one place (VS Code's pattern).
 * This is the direct cure for the leaks the seed describes.
 */
export interface Disposable {
  dispose(): void | Promise<void>;
}

export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      void item.dispose();
      throw new Error('DisposableStore is already disposed');
    }
    this.items.push(item);
    return item;
  }

  /** Disposes in reverse order of registration, so later resources go first. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of this.items.splice(0).reverse()) {
      try {
        await item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) {
      throw new AggregateError(errors, 'Some resources failed to dispose');
    }
  }
}

export function toDisposable(dispose: () => void | Promise<void>): Disposable {
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
