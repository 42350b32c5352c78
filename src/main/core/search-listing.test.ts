import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ok } from '../../shared/result';
import type { SearchMatch, SearchPage } from '../../shared/types';
import { writeListing, type PageFetch } from './search-listing';
import { StreamWriter } from './stream-writer';

const total = { matches: 0, files: 0, exact: false };

/** A search without end: every page is full and has a next cursor; counts the pages asked for. */
function endlessSearch(): { fetch: PageFetch; pages: () => number } {
  let pages = 0;
  const fetch: PageFetch = (limit) => {
    pages += 1;
    const matches: SearchMatch[] = Array.from({ length: limit }, (_, index) => ({ path: `file-${pages}.ts`, repo: '/repo', line: index + 1, text: 'x'.repeat(200), ranges: [[0, 1]] }));
    const page: SearchPage = { matches, total, nextCursor: `after-${pages}`, elapsedMs: 0 };
    // Each page answers on a later turn of the event loop, as a reader thread's reply does.
    return new Promise((resolve) => setImmediate(() => resolve(ok(page))));
  };
  return { fetch, pages: () => pages };
}

/** A consumer that takes the first chunk and then never asks for more, like a stalled client. */
function stalledConsumer(): { stream: Writable; received: () => number } {
  let received = 0;
  const stream = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _encoding, _done) {
      received += chunk.length;
      // Never calls _done: the stream's buffer fills and write() returns false from then on.
    },
  });
  return { stream, received: () => received };
}

const format = (match: SearchMatch): string => `${match.path}:${match.line}:${match.text}\n`;

describe('writeListing', () => {
  it('reads no further page while a stalled consumer leaves no room, so memory stays at one page', async () => {
    const search = endlessSearch();
    const consumer = stalledConsumer();
    const listing = writeListing({ fetch: search.fetch, limit: Number.POSITIVE_INFINITY, writer: new StreamWriter(consumer.stream), format });
    let settled = false;
    void listing.then(() => (settled = true));
    // Plenty of turns of the event loop for an unbounded loop to read thousands of pages.
    for (let turn = 0; turn < 50; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(settled).toBe(false);
    expect(search.pages()).toBe(1);
    expect(consumer.received()).toBeLessThan(128 * 1024);
    // The consumer goes away: the listing ends at once with what it wrote, and reads nothing more.
    consumer.stream.destroy();
    const outcome = await listing;
    expect(outcome.ok).toBe(true);
    expect(search.pages()).toBe(1);
  });

  it('writes exactly `limit` matches over several pages and says more remain', async () => {
    const search = endlessSearch();
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    });
    const outcome = await writeListing({ fetch: search.fetch, limit: 2500, writer: new StreamWriter(sink), format });
    expect(outcome).toMatchObject({ ok: true, written: 2500, more: true });
    expect(search.pages()).toBe(3);
    expect(chunks.join('').split('\n').length - 1).toBe(2500);
  });
});
