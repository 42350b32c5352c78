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

export function interval(callback: () => void, ms: number): Disposable {
  const handle = setInterval(callback, ms);
  handle.unref();
  return toDisposable(() => clearInterval(handle));
}
