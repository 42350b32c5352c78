/**
 * generic-pool's explicit resource states: a pooled resource is in exactly one at a time.
 * creating → idle ⇄ (validating →) borrowed → idle …, and any of them → destroying → destroyed.
 */
export type ResourceState = 'creating' | 'idle' | 'validating' | 'borrowed' | 'destroying' | 'destroyed';

/** One resource the pool holds and what the pool knows of it. */
export interface PooledResource<R> {
  /** 1, 2, 3… in creation order; the factory is told it (thread names, logs). */
  readonly id: number;
  /** Opened past the pool's size, while it was full; closed as soon as nobody waits for it. */
  readonly overflow: boolean;
  readonly createdAt: number;
  state: ResourceState;
  /** Set once `create` resolved. */
  resource: R | undefined;
  /** When it last became idle, by the pool's clock. */
  idleSince: number;
  /** Created and never handed out: just proven to work, so never validated. */
  fresh: boolean;
  /** Reported broken while borrowed: destroyed when it comes back. */
  broken: boolean;
  /** Ends a `create` still running (create timeout, shutdown). */
  readonly creating: AbortController;
}

/** How many resources the pool holds, by kind; `pooled` and `overflow` include those being created. */
export interface ResourceCounts {
  readonly size: number;
  readonly opening: number;
  readonly idle: number;
  /** Borrowed or being validated for a borrower. */
  readonly checkedOut: number;
  readonly pooled: number;
  readonly overflow: number;
}

/**
 * The pool's resources: all of them, the idle ones as a stack (most recently returned last,
 * so handing out the warmest lets the others age out), and the destroys still running.
 */
export class ResourceSet<R> {
  private readonly all = new Set<PooledResource<R>>();
  private readonly byResource = new Map<R, PooledResource<R>>();
  private readonly idle: PooledResource<R>[] = [];
  private readonly destroying = new Set<Promise<void>>();

  get size(): number {
    return this.all.size;
  }

  add(item: PooledResource<R>): void {
    this.all.add(item);
  }

  has(item: PooledResource<R>): boolean {
    return this.all.has(item);
  }

  /** The pooled record of a resource the pool created and still holds. */
  find(resource: R): PooledResource<R> | undefined {
    return this.byResource.get(resource);
  }

  /** Records the resource `create` gave for an item. */
  created(item: PooledResource<R>, resource: R): void {
    item.resource = resource;
    this.byResource.set(resource, item);
  }

  makeIdle(item: PooledResource<R>, now: number): void {
    item.state = 'idle';
    item.idleSince = now;
    this.idle.push(item);
  }

  /** Takes the most recently returned idle resource. */
  takeIdle(): PooledResource<R> | undefined {
    return this.idle.pop();
  }

  /** Idle resources beyond the `keep` most recently returned, idle since `idleBefore` or earlier. */
  idleBeyond(keep: number, idleBefore: number): PooledResource<R>[] {
    return this.idle.slice(0, Math.max(0, this.idle.length - keep)).filter((item) => item.idleSince <= idleBefore);
  }

  idleWhere(predicate: (item: PooledResource<R>) => boolean): PooledResource<R>[] {
    return this.idle.filter(predicate);
  }

  /** Resources created and not being destroyed: idle, validating or borrowed. */
  serving(): R[] {
    const serving: R[] = [];
    for (const item of this.all) {
      if (item.resource !== undefined && item.state !== 'creating') {
        serving.push(item.resource);
      }
    }
    return serving;
  }

  items(): PooledResource<R>[] {
    return [...this.all];
  }

  counts(): ResourceCounts {
    let opening = 0;
    let checkedOut = 0;
    let overflow = 0;
    for (const item of this.all) {
      if (item.state === 'creating') {
        opening++;
      } else if (item.state === 'borrowed' || item.state === 'validating') {
        checkedOut++;
      }
      if (item.overflow) {
        overflow++;
      }
    }
    return { size: this.all.size, opening, idle: this.idle.length, checkedOut, pooled: this.all.size - overflow, overflow };
  }

  /**
   * Takes an item out of the pool; `end` (the factory's destroy, or nothing for an item still
   * being created) runs in the background and is awaited by `destroyed()`. False if the item
   * was already removed.
   */
  remove(item: PooledResource<R>, end: (() => Promise<void>) | undefined): boolean {
    if (!this.all.delete(item)) {
      return false;
    }
    const index = this.idle.indexOf(item);
    if (index >= 0) {
      this.idle.splice(index, 1);
    }
    if (item.resource !== undefined) {
      this.byResource.delete(item.resource);
    }
    item.state = 'destroying';
    const done = (end?.() ?? Promise.resolve())
      .catch(() => {})
      .then(() => {
        item.state = 'destroyed';
        this.destroying.delete(done);
      });
    this.destroying.add(done);
    return true;
  }

  /** Settles when every destroy begun so far (and any begun meanwhile) has ended. */
  async destroyed(): Promise<void> {
    while (this.destroying.size > 0) {
      await Promise.all(this.destroying);
    }
  }
}
