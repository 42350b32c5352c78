import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ok } from '../../shared/result';
import type { ListingChunk } from './search/listing-chunk';
import { writeListing, type ChunkFetch } from './search-listing';
import { StreamWriter } from './stream-writer';

const total = { matches: 0, files: 0, exact: false };

/** A search without end: every chunk holds 1,000 lines (or the limit) and has a next cursor; counts the chunks asked for. */
function endlessSearch(): { fetch: ChunkFetch; pages: () => number } {
  let pages = 0;
  const fetch: ChunkFetch = (limit) => {
    pages += 1;
    const lines = Math.min(limit, 1000);
    const text = Array.from({ length: lines }, (_, index) => `file-${pages}.ts:${index + 1}:${'x'.repeat(200)}\n`).join('');
    const page: ListingChunk = { output: text, lines, total, nextCursor: `after-${pages}` };
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

describe('writeListing', () => {
  it('reads no further page while a stalled consumer leaves no room, so memory stays at one page', async () => {
    const search = endlessSearch();
    const consumer = stalledConsumer();
    const listing = writeListing({ fetch: search.fetch, limit: Number.POSITIVE_INFINITY, writer: new StreamWriter(consumer.stream) });
    let settled = false;
    void listing.then(() => (settled = true));
    // Plenty of turns of the event loop for an unbounded loop to read thousands of pages.
    for (let turn = 0; turn < 50; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(settled).toBe(false);
    expect(search.pages()).toBe(1);
    // One chunk reached the consumer: 1,000 lines of `file-1.ts:N:` and 200 characters.
    expect(consumer.received()).toBeLessThan(1000 * 220);
    // The consumer goes away: the listing ends at once with what it wrote, and reads nothing more.
    consumer.stream.destroy();
    const outcome = await listing;
    expect(outcome.ok).toBe(true);
    expect(search.pages()).toBe(1);
  });

  it('writes exactly `limit` lines over several chunks and says more remain', async () => {
    const search = endlessSearch();
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    });
    const outcome = await writeListing({ fetch: search.fetch, limit: 2500, writer: new StreamWriter(sink) });
    expect(outcome).toMatchObject({ ok: true, written: 2500, more: true });
    expect(search.pages()).toBe(3);
    expect(chunks.join('').split('\n').length - 1).toBe(2500);
  });
});
