import { describe, expect, it } from 'vitest';
import { MAX_SEGMENT_UNITS } from './format';
import { isMostlyStale, levelMerge, levelOf, MERGE_FANOUT } from './merge-policy';
import type { SegmentInfo } from './segment-store';

function segments(levels: readonly number[], units = 100): SegmentInfo[] {
  return levels.map((level, index) => ({ id: index + 1, level, units }));
}

describe('merge policy', () => {
  it('merges nothing until a level holds MERGE_FANOUT segments, then the oldest MERGE_FANOUT of the lowest such level', () => {
    expect(levelMerge(segments(Array(MERGE_FANOUT - 1).fill(1)), false)).toBeNull();
    expect(levelMerge(segments(Array(MERGE_FANOUT + 3).fill(0)), false)).toEqual(Array.from({ length: MERGE_FANOUT }, (_, index) => index + 1));
    const mixed = segments([...Array(MERGE_FANOUT).fill(2), ...Array(MERGE_FANOUT).fill(1), 0, 0]);
    expect(levelMerge(mixed, false)).toEqual(Array.from({ length: MERGE_FANOUT }, (_, index) => MERGE_FANOUT + index + 1));
  });

  it("merges the run's level-0 segments into one at the end of a completed run, and nothing when one is left", () => {
    expect(levelMerge(segments([1, 0, 0, 0]), true)).toEqual([2, 3, 4]);
    expect(levelMerge(segments([1, 0]), true)).toBeNull();
    expect(levelMerge(segments([1, 0, 0]), false)).toBeNull();
  });

  it('never builds a segment past MAX_SEGMENT_UNITS units, and does not merge a single segment', () => {
    const big = Math.floor(MAX_SEGMENT_UNITS / 2) + 1;
    expect(levelMerge(segments([0, 0, 0], big), true)).toBeNull();
    const fits = Math.floor(MAX_SEGMENT_UNITS / 3);
    expect(levelMerge(segments([0, 0, 0, 0], fits), true)).toEqual([1, 2, 3]);
  });

  it('gives a merged segment the level its unit count gives', () => {
    expect(levelOf(1)).toBe(1);
    expect(levelOf(100 * MERGE_FANOUT)).toBe(1);
    expect(levelOf(100 * MERGE_FANOUT + 1)).toBe(2);
    expect(levelOf(100 * MERGE_FANOUT ** 2 + 1)).toBe(3);
  });

  it('rewrites a segment once a quarter of its units are stale', () => {
    expect(isMostlyStale(100, 0)).toBe(false);
    expect(isMostlyStale(100, 24)).toBe(false);
    expect(isMostlyStale(100, 25)).toBe(true);
    expect(isMostlyStale(1, 1)).toBe(true);
  });
});
