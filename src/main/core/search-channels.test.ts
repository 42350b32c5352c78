import { describe, expect, it } from 'vitest';
import { SearchChannels } from './search-channels';

/** A search that runs until its signal aborts, then fails with the signal's reason. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
}

describe('SearchChannels', () => {
  it('cancels the running search of a channel when a newer one starts there, and only there', async () => {
    const channels = new SearchChannels();
    const first = channels.run('panel-a', undefined, untilAborted);
    const other = channels.run('panel-b', undefined, untilAborted);
    const second = channels.run('panel-a', undefined, () => Promise.resolve('second'));
    await expect(first).rejects.toMatchObject({ code: 'cancelled', message: 'Search cancelled: a newer search on the same channel replaced it' });
    await expect(second).resolves.toBe('second');
    expect(channels.size).toBe(1);
    const gone = new AbortController();
    const third = channels.run('panel-b', gone.signal, untilAborted);
    await expect(other).rejects.toMatchObject({ code: 'cancelled' });
    gone.abort();
    await expect(third).rejects.toMatchObject({ code: 'cancelled', message: 'Search cancelled: the client disconnected' });
    expect(channels.size).toBe(0);
  });
});
