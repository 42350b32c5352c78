/**
 * A small LRU of per-query state (candidates, resume points, served pages), one per
 * connection. Every entry remembers the database version it was computed at; a commit by
 * the indexer changes the version and so invalidates the whole cache.
 */
export class QueryCache<T extends { readonly version: number }> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly capacity: number) {}

  get(key: string, version: number): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      return undefined;
    }
    this.entries.delete(key);
    if (entry.version !== version) {
      return undefined;
    }
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: T): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
