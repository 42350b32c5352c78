import { BUCKET_COUNT } from './format';
import { isMostlyStale, levelMerge, levelOf } from './merge-policy';
import { PostingRowWriter, RowMerge } from './posting-codec';
import type { SegmentInfo, SegmentStore } from './segment-store';
import { indexOfKey, keyFile, keyStart, unitKey } from './unit-keys';
import type { UnitLists } from './unit-lists';

/** Buckets read per query while merging: few statement calls, and 1/128 of the group in memory. */
const BUCKETS_PER_READ = 16;

export interface MergeStats {
  readonly merges: number;
  readonly segmentsMerged: number;
  /** Postings of files no longer indexed (deleted, changed, skipped), dropped by merges. */
  readonly postingsDropped: number;
  readonly milliseconds: number;
}

interface LoadedSegment extends SegmentInfo, UnitLists {}

export const noMerges: MergeStats = { merges: 0, segmentsMerged: 0, postingsDropped: 0, milliseconds: 0 };

/**
 * Carries out the merge policy (merge-policy.ts) for one repository: merges the groups it
 * picks, dropping postings of files no longer indexed. Each merge is one transaction: killed
 * in the middle, the database keeps the segments it had.
 */
export class SegmentMerger {
  private readonly writer = new PostingRowWriter();
  private readonly rows = new RowMerge();
  /**
   * Live files as of the first mid-run merge, reused by later ones. Files created since are
   * past its end and count as live; files gone since still count as live, which only keeps
   * stale postings a while (a superset); the end of a run reads the live set afresh.
   */
  private cachedLive: { readonly repoId: number; readonly live: Uint8Array } | null = null;

  constructor(
    private readonly store: SegmentStore,
    private readonly transaction: (work: () => void) => void,
  ) {}

  /**
   * Merges what the policy asks for; `final` is the end of a completed run. `onStep` is
   * called after each bucket inside the merge transaction.
   */
  maintain(repoId: number, final: boolean, onStep?: (bucket: number) => void): MergeStats {
    const started = performance.now();
    let stats = noMerges;
    let live: Uint8Array | null = null;
    const liveFiles = (): Uint8Array => (live ??= this.liveFilesFor(repoId, final));
    for (;;) {
      const group = this.pickGroup(this.store.segments(repoId), final, liveFiles);
      if (group === null) {
        break;
      }
      const dropped = this.merge(repoId, group, liveFiles(), onStep);
      stats = { merges: stats.merges + 1, segmentsMerged: stats.segmentsMerged + group.length, postingsDropped: stats.postingsDropped + dropped, milliseconds: 0 };
    }
    return stats.merges === 0 ? noMerges : { ...stats, milliseconds: Math.round(performance.now() - started) };
  }

  private load(segment: SegmentInfo): LoadedSegment {
    return { ...segment, ...this.store.unitLists(segment.id) };
  }

  /** The next group of segments to merge (loaded), or null when the policy is satisfied. */
  private pickGroup(segments: readonly SegmentInfo[], final: boolean, liveFiles: () => Uint8Array): LoadedSegment[] | null {
    const byId = new Map(segments.map((segment) => [segment.id, segment]));
    const ids = levelMerge(segments, final);
    if (ids !== null) {
      return ids.map((id) => this.load(byId.get(id) as SegmentInfo));
    }
    if (!final) {
      return null;
    }
    const live = liveFiles();
    for (const row of segments) {
      const segment = this.load(row);
      let stale = 0;
      for (const id of segment.fileIds) {
        if (live[id] !== 1) {
          stale += 1;
        }
      }
      if (isMostlyStale(segment.fileIds.length, stale)) {
        return [segment];
      }
    }
    return null;
  }

  private liveFilesFor(repoId: number, final: boolean): Uint8Array {
    if (final) {
      this.cachedLive = null;
      return this.store.liveFiles(repoId);
    }
    if (this.cachedLive?.repoId !== repoId) {
      this.cachedLive = { repoId, live: this.store.liveFiles(repoId) };
    }
    return this.cachedLive.live;
  }

  /** Merges `group` into one segment in one transaction; returns the postings dropped. */
  private merge(repoId: number, group: readonly LoadedSegment[], live: Uint8Array, onStep?: (bucket: number) => void): number {
    const units = mergedUnits(group, live);
    // Per input segment, its ordinals mapped to the merged segment's (-1: stale, dropped).
    const remaps = new Map(group.map((segment) => [segment.id, segment.fileIds.map((id, ordinal) => indexOfKey(units.keys, unitKey(id, segment.starts[ordinal] as number)))]));
    // Rows decode in order of their segment's first file: segments of one run hold ascending
    // file ranges, so ordinals mostly come out ascending and the row merge's sort is cheap.
    const rank = new Map([...group].sort((left, right) => (left.fileIds[0] ?? 0) - (right.fileIds[0] ?? 0)).map((segment, index) => [segment.id, index]));
    const ids = group.map((segment) => segment.id);
    const rows = this.rows;
    const writer = this.writer;
    rows.reset();
    this.transaction(() => {
      // Every unit of the group stale: the segments just go.
      const merged = units.keys.length === 0 ? null : this.store.insertSegment(repoId, levelOf(units.keys.length), units);
      for (let first = 0; merged !== null && first < BUCKET_COUNT; first += BUCKETS_PER_READ) {
        const end = Math.min(first + BUCKETS_PER_READ, BUCKET_COUNT);
        const range = this.store.rowsInRange(ids, first, end).sort((left, right) => left[1] - right[1] || (rank.get(left[0]) as number) - (rank.get(right[0]) as number));
        let index = 0;
        for (let bucket = first; bucket < end; bucket += 1) {
          rows.nextRow();
          for (; index < range.length && range[index]![1] === bucket; index += 1) {
            const [segment, , data] = range[index]!;
            rows.add(data, remaps.get(segment) as Int32Array, { segment, bucket });
          }
          writer.reset();
          // A view, not a copy: the insert copies it into SQLite, and a copy per bucket is
          // external memory that only a major GC frees (the synchronous writer rarely gets one).
          if (rows.writeTo(writer)) {
            this.store.insertPosting(merged, bucket, writer.view());
          }
          onStep?.(bucket);
        }
      }
      for (const segment of ids) {
        this.store.deleteSegment(segment);
      }
    });
    return rows.dropped;
  }
}

/**
 * The sorted, distinct units of a group of segments whose file is live (ids past `live` count
 * as live): a unit cut by a batch appears in two segments and becomes one ordinal.
 */
function mergedUnits(group: readonly LoadedSegment[], live: Uint8Array): UnitLists & { readonly keys: Float64Array } {
  const all = new Float64Array(group.reduce((sum, segment) => sum + segment.fileIds.length, 0));
  let count = 0;
  for (const segment of group) {
    segment.fileIds.forEach((id, ordinal) => {
      if (id >= live.length || live[id] === 1) {
        all[count++] = unitKey(id, segment.starts[ordinal] as number);
      }
    });
  }
  const sorted = all.subarray(0, count).sort();
  const keys: number[] = [];
  for (const key of sorted) {
    if (key !== keys[keys.length - 1]) {
      keys.push(key);
    }
  }
  return { keys: Float64Array.from(keys), fileIds: Int32Array.from(keys, keyFile), starts: Int32Array.from(keys, keyStart) };
}
