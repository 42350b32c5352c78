import { searchCancelled } from './search/search-control';

/**
 * The searches running per client channel. The dashboard searches as the user types, so a
 * newer search on a channel cancels the one it replaces; a search whose client went away
 * (its transport's signal aborted) is cancelled too. Entries live only while a search runs.
 */
export class SearchChannels {
  private readonly running = new Map<string, AbortController>();

  /**
   * Runs `search` with a signal that aborts when a newer search takes the same channel or
   * `clientGone` aborts. Without a channel only the client's signal applies.
   */
  async run<T>(channel: string | undefined, clientGone: AbortSignal | undefined, search: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (channel !== undefined) {
      this.running.get(channel)?.abort(searchCancelled('a newer search on the same channel replaced it'));
      this.running.set(channel, controller);
    }
    const onGone = (): void => controller.abort(searchCancelled('the client disconnected'));
    clientGone?.addEventListener('abort', onGone, { once: true });
    if (clientGone?.aborted === true) {
      onGone();
    }
    try {
      return await search(controller.signal);
    } finally {
      clientGone?.removeEventListener('abort', onGone);
      if (channel !== undefined && this.running.get(channel) === controller) {
        this.running.delete(channel);
      }
    }
  }

  /** Searches running now (tests and the health report). */
  get size(): number {
    return this.running.size;
  }
}
