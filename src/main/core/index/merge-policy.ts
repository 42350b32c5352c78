/**
 * Which segments merge, and when (docs/INDEX-FORMAT.md, "Merges"): pure decisions on segment
 * sizes and levels, so they are tested without a database.
 *
 * A run writes its batches' postings through a buffer (run-buffer.ts), as one segment per
 * RUN_BUFFER_BYTES of postings, whose level its unit count gives (levelOf). Whenever
 * MERGE_FANOUT segments share a level they merge into one, whose level its unit count gives
 * (a log-structured merge: each posting is rewritten about log_FANOUT(units) times over the
 * life of the index). At the end of a completed run, level-0 segments (none are written
 * today; format 4 allows them) merge into one, and a segment whose units are mostly stale is
 * rewritten alone.
 * A merged segment never exceeds MAX_SEGMENT_UNITS units.
 */
import { MAX_SEGMENT_UNITS } from './format';
import type { SegmentInfo } from './segment-store';

/** Segments of one level merged into one of the next. */
export const MERGE_FANOUT = 16;
/** Units of a level-0 segment (one batch); level n holds about BASE * FANOUT^n units. */
const LEVEL_BASE_UNITS = 100;
/** A segment whose units are at least this fraction stale is rewritten at the end of a run. */
const MAX_STALE_FRACTION = 0.25;

/**
 * The ids of the segments (oldest first, as listed) to merge next by level, or null. `final`
 * is the end of a completed run.
 */
export function levelMerge(segments: readonly SegmentInfo[], final: boolean): number[] | null {
  const byLevel = new Map<number, SegmentInfo[]>();
  for (const segment of segments) {
    const level = byLevel.get(segment.level) ?? [];
    level.push(segment);
    byLevel.set(segment.level, level);
  }
  for (const level of [...byLevel.keys()].sort((left, right) => left - right)) {
    const group = byLevel.get(level) as SegmentInfo[];
    const picked = group.length >= MERGE_FANOUT ? fitting(group.slice(0, MERGE_FANOUT)) : null;
    if (picked !== null) {
      return picked;
    }
  }
  return final ? fitting(byLevel.get(0) ?? []) : null;
}

/** Whether a segment of `units` units of which `stale` name files no longer indexed is rewritten. */
export function isMostlyStale(units: number, stale: number): boolean {
  return stale > 0 && stale >= units * MAX_STALE_FRACTION;
}

/**
 * The level of a written or merged segment of `units` units: 1 up to BASE * FANOUT units,
 * then one more per factor FANOUT.
 */
export function levelOf(units: number): number {
  let level = 1;
  let capacity = LEVEL_BASE_UNITS * MERGE_FANOUT;
  while (units > capacity) {
    level += 1;
    capacity *= MERGE_FANOUT;
  }
  return level;
}

/** The ids of the longest prefix of `group` whose units fit in one segment: at least two, or null. */
function fitting(group: readonly SegmentInfo[]): number[] | null {
  const picked: number[] = [];
  let units = 0;
  for (const segment of group) {
    if (units + segment.units > MAX_SEGMENT_UNITS) {
      break;
    }
    units += segment.units;
    picked.push(segment.id);
  }
  return picked.length >= 2 ? picked : null;
}
