/**
 * First come, first served: requests waiting for a connection. A Set keeps insertion order
 * and removes a waiter that timed out or was aborted in O(1); a waiter whose connection
 * failed its pre-ping goes back to the front, so it does not lose its turn.
 */
export class WaiterQueue<T> {
  private readonly front: T[] = [];
  private readonly items = new Set<T>();

  get size(): number {
    return this.front.length + this.items.size;
  }

  push(item: T): void {
    this.items.add(item);
  }

  /** Puts a waiter back at the front of the line. */
  unshift(item: T): void {
    this.front.unshift(item);
  }

  /** Removes and returns the oldest waiter. */
  shift(): T | undefined {
    const first = this.front.shift();
    if (first !== undefined) {
      return first;
    }
    for (const item of this.items) {
      this.items.delete(item);
      return item;
    }
    return undefined;
  }

  remove(item: T): boolean {
    const index = this.front.indexOf(item);
    if (index >= 0) {
      this.front.splice(index, 1);
      return true;
    }
    return this.items.delete(item);
  }

  /** Removes every waiter, oldest first. */
  drain(): T[] {
    const all = [...this.front, ...this.items];
    this.front.length = 0;
    this.items.clear();
    return all;
  }
}
