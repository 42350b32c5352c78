import { BUCKET_COUNT } from './format';
import { isMostlyStale, levelMerge, levelOf } from './merge-policy';
import { PostingRowWriter, RowMerge } from './posting-codec';
import type { SegmentInfo, SegmentStore } from './segment-store';
import { mergeUnits } from './unit-merge';
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
    // Files created since `live` was read are past its end and count as live.
    const { merged: units, remaps: byInput } = mergeUnits(group, (id) => id >= live.length || live[id] === 1);
    const remaps = new Map(group.map((segment, index) => [segment.id, byInput[index] as Int32Array]));
    // Rows decode in order of their segment's first file: segments of one run hold ascending
    // file ranges, so ordinals mostly come out ascending and the row merge's sort is cheap.
    const rank = new Map([...group].sort((left, right) => (left.fileIds[0] ?? 0) - (right.fileIds[0] ?? 0)).map((segment, index) => [segment.id, index]));
    const ids = group.map((segment) => segment.id);
    const rows = this.rows;
    const writer = this.writer;
    rows.reset();
    this.transaction(() => {
      // Every unit of the group stale: the segments just go.
      const merged = units.fileIds.length === 0 ? null : this.store.insertSegment(repoId, levelOf(units.fileIds.length), units);
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
