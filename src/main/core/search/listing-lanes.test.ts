import { describe, expect, it } from 'vitest';
import type { ListingArgs, ListingChunk } from './listing-chunk';
import { blockCount, Lane, LaneCounters } from './listing-lanes';

const args: ListingArgs = { query: 'x', mode: 'literal', format: { kind: 'json' }, limit: 10 };
const total = { matches: 0, files: 0, exact: false };

describe('lane counters', () => {
  it('give each block to one lane, whichever thread asks', () => {
    const first = new LaneCounters();
    const second = new LaneCounters(first.buffer);
    expect([first.takeBlock(), second.takeBlock(), second.takeBlock(), first.takeBlock()]).toEqual([0, 1, 2, 3]);
  });

  it("keep the worker's unwritten bytes under the window, and end its wait on a cancel", () => {
    const counters = new LaneCounters();
    counters.sent(100);
    expect(counters.waitForRoom(101, 1)).toBe(true);
    counters.written(60);
    expect(counters.waitForRoom(41, 1)).toBe(true);
    counters.sent(1);
    counters.cancel();
    // 41 bytes wait with a window of 41: only the cancel ends the wait.
    expect(counters.waitForRoom(41, 1)).toBe(false);
    expect(new LaneCounters(counters.buffer).cancelled).toBe(true);
  });
});

describe('a lane', () => {
  /** A plan of `files` files, each one chunk of one line; records the spans asked for. */
  function planOf(files: number): { run: (listing: ListingArgs) => ListingChunk; spans: unknown[] } {
    const spans: unknown[] = [];
    return {
      spans,
      run(listing) {
        spans.push(listing.files);
        const lines = Math.max(0, Math.min(files, listing.files?.until ?? 0) - (listing.files?.from ?? 0));
        return { output: 'x\n'.repeat(lines), lines, total, plan: { files, fingerprint: 7 } };
      },
    };
  }

  it('lists the blocks it takes, one chunk at a time, until the plan ends', () => {
    const plan = planOf(5);
    const counters = new LaneCounters();
    const lane = new Lane(args, counters, plan.run, 2);
    const other = new Lane(args, counters, plan.run, 2);
    expect(lane.next()).toMatchObject({ block: 0, lastOfBlock: true, lines: 2 });
    expect(other.next()).toMatchObject({ block: 1, lastOfBlock: true, lines: 2 });
    expect(lane.next()).toMatchObject({ block: 2, lastOfBlock: true, lines: 1 });
    expect(other.next()).toBeNull();
    expect(lane.next()).toBeNull();
    expect(lane.next()).toBeNull();
    expect(plan.spans).toEqual([
      { from: 0, until: 2 },
      { from: 2, until: 4 },
      { from: 4, until: 6 },
      { from: 6, until: 8 },
      { from: 8, until: 10 },
    ]);
  });

  it('lists block 0 of an empty plan, so the writer learns its shape', () => {
    const lane = new Lane(args, new LaneCounters(), planOf(0).run, 2);
    expect(lane.next()).toEqual({ block: 0, lastOfBlock: true, output: '', lines: 0, plan: { files: 0, fingerprint: 7 } });
    expect(lane.next()).toBeNull();
    expect([blockCount(0, 2), blockCount(4, 2), blockCount(5, 2)]).toEqual([1, 2, 3]);
  });
});
