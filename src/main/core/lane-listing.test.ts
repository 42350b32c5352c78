import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { indexedFixture, type IndexedFixture } from '../../../test/helpers/index-in-process';
import { testWorkers } from '../../../test/helpers/test-core';
import { ok } from '../../shared/result';
import { toResultError } from './base/errors';
import { definitions } from './config/definitions';
import { openConnection } from './db/open-connection';
import { searchHold } from './config/memory-budget';
import { writeLaneListing, type RemoteLane } from './lane-listing';
import { ListingThread } from './query/listing-thread';
import { readOps } from './query/read-ops';
import type { ListingArgs } from './search/listing-chunk';
import { Lane, LaneCounters, outputBytes, type LaneChunk } from './search/listing-lanes';
import { useSearchHold } from './search/search-budget';
import { writeListing, MAX_CHUNK_LINES } from './search-listing';
import { StreamWriter } from './stream-writer';

/** A stream that keeps what it is given; `leaveAfter` bytes make it close, as a reader that went away. */
function collector(leaveAfter = Number.POSITIVE_INFINITY): { stream: Writable; bytes: () => Buffer } {
  const parts: Buffer[] = [];
  let size = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      parts.push(chunk);
      size += chunk.length;
      done();
      if (size >= leaveAfter) {
        stream.destroy();
      }
    },
  });
  return { stream, bytes: () => Buffer.concat(parts) };
}

/** 23 files of 40 to 80 lines, some in latin-1, so a plain listing mixes text and bytes. */
function writeFiles(repo: string, files = 23): void {
  mkdirSync(join(repo, 'src'), { recursive: true });
  for (let file = 0; file < files; file += 1) {
    const lines = Array.from({ length: 40 + ((file * 7) % 41) }, (_, line) => (line % 2 === 0 ? `let item_${file}_${line} = ${line}; // café` : `  filler ${line}`));
    const text = `${lines.join('\n')}\n`;
    writeFileSync(join(repo, 'src', `f${String(file).padStart(2, '0')}.ts`), file % 5 === 0 ? Buffer.from(text, 'latin1') : text);
  }
}

/** Lines `item_\d+` matches in writeFiles' files: every other line. */
function matchingLines(files = 23): number {
  let lines = 0;
  for (let file = 0; file < files; file += 1) {
    lines += Math.ceil((40 + ((file * 7) % 41)) / 2);
  }
  return lines;
}

const describe_ = (error: unknown) => toResultError(error);

describe('a full listing on two lanes', () => {
  let fixture: IndexedFixture;
  let otherFixture: IndexedFixture;
  const opened: BetterSqlite3.Database[] = [];
  beforeAll(() => {
    fixture = indexedFixture((repo) => writeFiles(repo), {});
    // Another index of other files: another plan.
    otherFixture = indexedFixture((repo) => writeFiles(repo, 9), {});
  });
  afterAll(() => {
    for (const db of opened) {
      db.close();
    }
    fixture.close();
    otherFixture.close();
  });
  afterEach(() => useSearchHold(searchHold(definitions.MEMORY_THRESHOLD_MB.default)));

  const args = (base: string): ListingArgs => ({ query: 'item_\\d+', mode: 'regex', format: { kind: 'plain', base }, limit: MAX_CHUNK_LINES });
  const run = (db: BetterSqlite3.Database) => (listing: ListingArgs) => readOps.searchListing(db, listing);

  /** The listing written chunk after chunk on one connection: what the lanes must write. */
  async function sequential(): Promise<Buffer> {
    const out = collector();
    const outcome = await writeListing({
      fetch: (limit, cursor) => Promise.resolve(ok(readOps.searchListing(fixture.reader, { ...args(fixture.root), limit, ...(cursor === undefined ? {} : { cursor }) }))),
      limit: Number.POSITIVE_INFINITY,
      writer: new StreamWriter(out.stream),
    });
    expect(outcome).toMatchObject({ ok: true, written: matchingLines() });
    return out.bytes();
  }

  /**
   * The other lane in this thread, on its own connection: each poll either lists one chunk
   * or says none came, so the two lanes take turns, block after block.
   */
  function turnTakingLane(lane: Lane): RemoteLane & { readonly chunks: number } {
    let turn = 0;
    let chunks = 0;
    let done = false;
    return {
      poll(): LaneChunk | null | undefined {
        turn += 1;
        if (done || turn % 2 === 0) {
          return done ? null : undefined;
        }
        const chunk = lane.next();
        if (chunk === null) {
          done = true;
          return null;
        }
        chunks += 1;
        return chunk;
      },
      arrival: () => Promise.resolve(),
      written: () => undefined,
      get chunks() {
        return chunks;
      },
    };
  }

  it('writes what one lane writes, byte for byte, when both lanes list blocks and chunks end mid-block', async () => {
    // A 2 KiB page budget: a block of 3 files takes several chunks.
    useSearchHold({ searchHoldBytes: 1024 * 1024, searchPageBytes: 2048 });
    const expected = await sequential();
    const second = openReader(fixture.reader.name);
    const counters = new LaneCounters();
    let localChunks = 0;
    const local = new Lane(args(fixture.root), counters, (listing) => ((localChunks += 1), run(fixture.reader)(listing)), 3);
    const remote = turnTakingLane(new Lane(args(fixture.root), counters, run(second), 3));
    const out = collector();
    const outcome = await writeLaneListing({ local, remote, writer: new StreamWriter(out.stream), describe: describe_, blockFiles: 3, windowBytes: 1 });
    expect(outcome).toEqual({ ok: true, written: matchingLines(), last: undefined, more: false });
    expect(out.bytes().equals(expected)).toBe(true);
    expect(localChunks).toBeGreaterThan(2);
    expect(remote.chunks).toBeGreaterThan(2);
  });

  it("lists no further than its window ahead while the block reached is the other lane's", async () => {
    useSearchHold({ searchHoldBytes: 1024 * 1024, searchPageBytes: 2048 });
    const counters = new LaneCounters();
    // The other lane took block 0 and has not sent any of it yet.
    const slow = new Lane(args(fixture.root), counters, run(openReader(fixture.reader.name)), 4);
    const first = slow.next();
    const sizes: number[] = [];
    let ahead: number | undefined;
    const local = new Lane(
      args(fixture.root),
      counters,
      (listing) => {
        const chunk = run(fixture.reader)(listing);
        sizes.push(outputBytes(chunk.output));
        return chunk;
      },
      4,
    );
    const queued: (LaneChunk | null)[] = first === null ? [] : [first];
    const remote: RemoteLane = {
      poll: () => (ahead === undefined ? undefined : queued.shift()),
      arrival() {
        // The first wait: everything the other lane lists from now on is handed over at once.
        ahead ??= sizes.length;
        for (let chunk = slow.next(); chunk !== null; chunk = slow.next()) {
          queued.push(chunk);
        }
        queued.push(null);
        return Promise.resolve();
      },
      written: () => undefined,
    };
    const out = collector();
    const outcome = await writeLaneListing({ local, remote, writer: new StreamWriter(out.stream), describe: describe_, blockFiles: 4, windowBytes: 3000 });
    // This lane listed until its chunks held the window's 3,000 bytes, and no further.
    const held = (chunks: number): number => sizes.slice(0, chunks).reduce((sum, size) => sum + size, 0);
    expect(ahead).toBeGreaterThan(1);
    expect(held((ahead ?? 0) - 1)).toBeLessThan(3000);
    expect(held(ahead ?? 0)).toBeGreaterThanOrEqual(3000);
    expect(outcome).toMatchObject({ ok: true, written: matchingLines() });
    expect(out.bytes().equals(await sequential())).toBe(true);
  });

  it('writes the same on the listing worker, waiting for room after each chunk', async () => {
    useSearchHold({ searchHoldBytes: 1024 * 1024, searchPageBytes: 2048 });
    const expected = await sequential();
    const counters = new LaneCounters();
    const hold = { searchHoldBytes: 1024 * 1024, searchPageBytes: 2048 };
    const thread = new ListingThread(
      testWorkers('listing-worker'),
      { dbPath: fixture.reader.name, searchHold: hold, budgetMs: 60_000, args: args(fixture.root), blockFiles: 2, windowBytes: 1 },
      counters,
    );
    const out = collector();
    try {
      const outcome = await writeLaneListing({
        local: new Lane(args(fixture.root), counters, run(fixture.reader), 2),
        remote: thread,
        writer: new StreamWriter(out.stream),
        describe: describe_,
        blockFiles: 2,
        windowBytes: 1,
      });
      expect(outcome).toEqual({ ok: true, written: matchingLines(), last: undefined, more: false });
    } finally {
      await thread.close();
    }
    expect(out.bytes().equals(expected)).toBe(true);
  });

  it('stops both lanes when the reader of the output goes away', async () => {
    const counters = new LaneCounters();
    const thread = new ListingThread(testWorkers('listing-worker'), { dbPath: fixture.reader.name, budgetMs: 60_000, args: args(fixture.root), blockFiles: 1, windowBytes: 1 }, counters);
    const out = collector(1);
    let localChunks = 0;
    const local = new Lane(args(fixture.root), counters, (listing) => ((localChunks += 1), run(fixture.reader)(listing)), 1);
    try {
      const outcome = await writeLaneListing({ local, remote: thread, writer: new StreamWriter(out.stream), describe: describe_, blockFiles: 1, windowBytes: 1 });
      expect(outcome.ok && outcome.written).toBeLessThan(matchingLines());
      // This lane listed at most one chunk past the first block written.
      expect(localChunks).toBeLessThanOrEqual(2);
    } finally {
      await thread.close();
    }
  });

  it('refuses to mix two plans: the index changed between the lanes', async () => {
    const counters = new LaneCounters();
    const local = new Lane(args(fixture.root), counters, run(fixture.reader), 4);
    const remote = turnTakingLane(new Lane(args(fixture.root), counters, run(otherFixture.reader), 4));
    const out = collector();
    const outcome = await writeLaneListing({ local, remote, writer: new StreamWriter(out.stream), describe: describe_, blockFiles: 4, windowBytes: 1 });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'bad_request', message: 'The index changed during the listing; run the search again' } });
  });

  it("ends with the worker's error when the worker fails", async () => {
    const counters = new LaneCounters();
    const missing = join(fixture.folder, 'missing.sqlite');
    const thread = new ListingThread(testWorkers('listing-worker'), { dbPath: missing, budgetMs: 60_000, args: args(fixture.root), blockFiles: 1, windowBytes: 1 }, counters);
    // This lane's blocks lie past the plan's end, so only the worker could list.
    const far = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
    new Int32Array(far)[0] = 1000;
    try {
      const local = new Lane(args(fixture.root), new LaneCounters(far), run(fixture.reader), 1);
      const outcome = await writeLaneListing({ local, remote: thread, writer: new StreamWriter(collector().stream), describe: describe_, blockFiles: 1, windowBytes: 1 });
      expect(outcome).toEqual({ ok: false, written: 0, error: { code: 'database_error', message: 'Database error: unable to open database file' } });
    } finally {
      await thread.close();
    }
  });

  function openReader(path: string): BetterSqlite3.Database {
    const db = openConnection(path, { mode: 'reader' });
    opened.push(db);
    return db;
  }
});
