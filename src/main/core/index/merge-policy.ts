/**
 * Which segments merge, and when (docs/INDEX-FORMAT.md, "Merges"): pure decisions on segment
 * sizes and levels, so they are tested without a database.
 *
 * A batch writes a level-0 segment. Level-0 segments pile up during a run and merge at its end,
 * all at once: each posting is rewritten once per build instead of once per level (merges
 * were a third of the writer's time). Only a run long enough to write LEVEL0_RUN_LIMIT of
 * them merges those mid-run, so searches during a long build read a bounded number of
 * segments. Above level 0, whenever MERGE_FANOUT segments share a level they merge into one,
 * whose level its unit count gives (a log-structured merge over re-index runs). At the end
 * of a completed run, after the level-0 merge, a segment whose units are mostly stale is
 * rewritten alone.
 * A merged segment never exceeds MAX_SEGMENT_UNITS units.
 */
import { MAX_SEGMENT_UNITS } from './format';
import type { SegmentInfo } from './segment-store';

/** Segments of one level above 0 merged into one of the next. */
export const MERGE_FANOUT = 16;
/** Level-0 segments (batches) a run writes before it merges them mid-run. */
export const LEVEL0_RUN_LIMIT = 256;
/** Units of a level-0 segment (one batch); level n holds about BASE * FANOUT^n units. */
const LEVEL_BASE_UNITS = 100;
/** A segment whose units are more than this fraction stale is rewritten at the end of a run. */
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
    const limit = level === 0 ? LEVEL0_RUN_LIMIT : MERGE_FANOUT;
    const picked = group.length >= limit ? fitting(group.slice(0, limit)) : null;
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
 * The level of a merged segment of `units` units: 1 up to BASE * FANOUT units (FANOUT full
 * batches), then one more per factor FANOUT.
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
