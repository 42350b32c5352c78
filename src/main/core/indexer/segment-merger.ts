import type BetterSqlite3 from 'better-sqlite3';
import { int32Blob, int32sOf } from '../db/int32-blob';
import { FileState } from '../db/schema';
import { BUCKET_COUNT, BUCKET_MASK } from '../search/grams';
import { PostingRowReader } from '../search/posting-row';
import { indexOfKey, keyFile, keyStart, unitKey, unitStarts } from '../search/units';
import { ByteWriter } from './byte-writer';
import { MAX_SEGMENT_UNITS } from './posting-builder';

type Database = BetterSqlite3.Database;

/** Segments of one level merged into one of the next (a log-structured merge). */
export const MERGE_FANOUT = 16;
/** Units of a level-0 segment (one batch); level n holds about BASE * FANOUT^n units. */
const LEVEL_BASE_UNITS = 100;
/** A segment whose units are more than this fraction stale is rewritten at the end of a run. */
const MAX_STALE_FRACTION = 0.25;
/** Gram low bits within a bucket. */
const BUCKET_LOWS = BUCKET_MASK + 1;
/** Below this many keys a bucket is sorted directly: the counting sort's table costs more. */
const COUNTING_SORT_MIN = 4096;
/** Buckets read per query while merging: few statement calls, and 1/128 of the group in memory. */
const BUCKETS_PER_READ = 16;

export interface MergeStats {
  readonly merges: number;
  readonly segmentsMerged: number;
  /** Postings of files no longer indexed (deleted, changed, skipped), dropped by merges. */
  readonly postingsDropped: number;
  readonly milliseconds: number;
}

interface SegmentRow {
  readonly id: number;
  readonly level: number;
  readonly units: number;
}

/** A segment's unit lists: per ordinal, the unit's file and its first document's index. */
interface LoadedSegment extends SegmentRow {
  readonly fileIds: Int32Array;
  readonly starts: Int32Array;
}

const noMerge: MergeStats = { merges: 0, segmentsMerged: 0, postingsDropped: 0, milliseconds: 0 };

/**
 * Keeps the number of trigram segments of a repository small and drops stale postings.
 * Segments carry a level: a batch writes level 0, and whenever MERGE_FANOUT segments share
 * a level they merge into one of the level their unit count gives. At the end of a run the
 * run's level-0 segments merge into one, and mostly stale segments are rewritten. Each merge
 * is one transaction: killed in the middle, the database keeps the segments it had.
 */
export class SegmentMerger {
  private readonly statements;
  private readonly writer = new ByteWriter();
  private readonly lowStarts = new Int32Array(BUCKET_LOWS + 1);
  private sorted = new Int32Array(64 * 1024);
  /** One bucket's decoded keys, reused by every merge. */
  private readonly keys: KeyBuffer = { keys: new Int32Array(64 * 1024), count: 0, dropped: 0 };
  /**
   * Live files as of the first mid-run merge, reused by later ones. Files created since are
   * past its end and count as live; files gone since still count as live, which only keeps
   * stale postings a while (a superset); the end of a run reads the live set afresh.
   */
  private cachedLive: { readonly repoId: number; readonly live: Uint8Array } | null = null;

  constructor(private readonly db: Database) {
    this.statements = {
      // Checked after every batch: the unit lists are read only for the segments a merge needs.
      segments: db.prepare('SELECT id, level, length(file_ids) / 4 AS units FROM segments WHERE repo_id = ? ORDER BY id'),
      units: db.prepare('SELECT file_ids AS fileIds, unit_starts AS starts FROM segments WHERE id = ?'),
      live: db.prepare(`SELECT id FROM files WHERE repo_id = ? AND state <> ${FileState.skipped}`).pluck(),
      // The highest id ever given (AUTOINCREMENT), not max(id): once the last files are deleted,
      // max(id) fell below their ids, which then read as live to mergedUnits and as stale to
      // pickGroup, and the final merge rewrote the same segment forever.
      maxFileId: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'files'").pluck(),
      insertSegment: db.prepare('INSERT INTO segments (repo_id, file_ids, unit_starts, level) VALUES (?, ?, ?, ?)'),
      insertPosting: db.prepare('INSERT INTO postings (segment_id, bucket, data) VALUES (?, ?, ?)'),
      deletePostings: db.prepare('DELETE FROM postings WHERE segment_id = ?'),
      deleteSegment: db.prepare('DELETE FROM segments WHERE id = ?'),
    };
  }

  /**
   * Merges what the policy asks for; `final` is the end of a completed run. `onStep` is
   * called after each bucket inside the merge transaction.
   */
  maintain(repoId: number, final: boolean, onStep?: (bucket: number) => void): MergeStats {
    const started = performance.now();
    let stats = noMerge;
    let live: Uint8Array | null = null;
    const liveFiles = (): Uint8Array => (live ??= this.liveFilesFor(repoId, final));
    for (;;) {
      const segments = this.segments(repoId);
      const group = this.pickGroup(segments, final, liveFiles);
      if (group === null) {
        break;
      }
      const dropped = this.merge(repoId, group, liveFiles(), onStep);
      stats = { merges: stats.merges + 1, segmentsMerged: stats.segmentsMerged + group.length, postingsDropped: stats.postingsDropped + dropped, milliseconds: 0 };
    }
    return stats.merges === 0 ? noMerge : { ...stats, milliseconds: Math.round(performance.now() - started) };
  }

  private segments(repoId: number): SegmentRow[] {
    return this.statements.segments.all(repoId) as SegmentRow[];
  }

  private load(segment: SegmentRow): LoadedSegment {
    const row = this.statements.units.get(segment.id) as { fileIds: Buffer; starts: Buffer | null };
    const fileIds = int32sOf(row.fileIds);
    return { ...segment, fileIds, starts: unitStarts(row.starts, fileIds.length) };
  }

  /** The next group of segments to merge, or null when the policy is satisfied. */
  private pickGroup(segments: readonly SegmentRow[], final: boolean, liveFiles: () => Uint8Array): LoadedSegment[] | null {
    const byLevel = new Map<number, SegmentRow[]>();
    for (const segment of segments) {
      const level = byLevel.get(segment.level) ?? [];
      level.push(segment);
      byLevel.set(segment.level, level);
    }
    for (const level of [...byLevel.keys()].sort((left, right) => left - right)) {
      const group = byLevel.get(level) as SegmentRow[];
      if (group.length >= MERGE_FANOUT) {
        return this.fitting(group.slice(0, MERGE_FANOUT));
      }
    }
    if (!final) {
      return null;
    }
    const fresh = byLevel.get(0) ?? [];
    if (fresh.length > 1) {
      return this.fitting(fresh);
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
      if (stale > 0 && stale >= segment.fileIds.length * MAX_STALE_FRACTION) {
        return [segment];
      }
    }
    return null;
  }

  /** The longest prefix of `group` whose units fit in one segment (at least two segments, or none), loaded. */
  private fitting(group: readonly SegmentRow[]): LoadedSegment[] | null {
    const picked: SegmentRow[] = [];
    let units = 0;
    for (const segment of group) {
      if (units + segment.units > MAX_SEGMENT_UNITS) {
        break;
      }
      units += segment.units;
      picked.push(segment);
    }
    return picked.length >= 2 ? picked.map((segment) => this.load(segment)) : null;
  }

  private liveFilesFor(repoId: number, final: boolean): Uint8Array {
    if (final) {
      this.cachedLive = null;
      return this.liveFiles(repoId);
    }
    if (this.cachedLive?.repoId !== repoId) {
      this.cachedLive = { repoId, live: this.liveFiles(repoId) };
    }
    return this.cachedLive.live;
  }

  private liveFiles(repoId: number): Uint8Array {
    const maxId = (this.statements.maxFileId.get() as number | null) ?? 0;
    const live = new Uint8Array(maxId + 1);
    for (const id of this.statements.live.iterate(repoId) as Iterable<number>) {
      live[id] = 1;
    }
    return live;
  }

  /** Merges `group` into one segment in one transaction; returns the postings dropped. */
  private merge(repoId: number, group: readonly LoadedSegment[], live: Uint8Array, onStep?: (bucket: number) => void): number {
    const units = mergedUnits(group, live);
    // Per input segment, its ordinals mapped to the merged segment's (-1: stale, dropped).
    const remaps = group.map((segment) => segment.fileIds.map((id, ordinal) => indexOfKey(units.keys, unitKey(id, segment.starts[ordinal] as number))));
    const level = levelOf(units.keys.length);
    const placeholders = group.map(() => '?').join(', ');
    // A range of buckets per query: one statement call per bucket cost more than the merge itself.
    const rows = this.db.prepare(`SELECT segment_id, bucket, data FROM postings WHERE segment_id IN (${placeholders}) AND bucket >= ? AND bucket < ?`).raw();
    const segmentIndex = new Map(group.map((segment, index) => [segment.id, index]));
    // Rows decode in order of their segment's first file: segments of one run hold ascending
    // file ranges, so a stable sort by gram then leaves each gram's ordinals ascending.
    const rank = new Map([...group].sort((left, right) => (left.fileIds[0] ?? 0) - (right.fileIds[0] ?? 0)).map((segment, index) => [segment.id, index]));
    const keys = this.keys;
    keys.dropped = 0;
    const groupIds = group.map((segment) => segment.id);
    this.db.transaction(() => {
      // Every unit of the group stale: the segments just go.
      const merged = units.keys.length === 0 ? null : this.statements.insertSegment.run(repoId, int32Blob(units.fileIds), int32Blob(units.starts), level).lastInsertRowid;
      for (let first = 0; merged !== null && first < BUCKET_COUNT; first += BUCKETS_PER_READ) {
        const end = Math.min(first + BUCKETS_PER_READ, BUCKET_COUNT);
        // Stable: within a bucket, rows stay in segment order (the keys are sorted anyway).
        const range = (rows.all(...groupIds, first, end) as [number, number, Buffer][]).sort(
          (left, right) => left[1] - right[1] || (rank.get(left[0]) as number) - (rank.get(right[0]) as number),
        );
        let row = 0;
        for (let bucket = first; bucket < end; bucket += 1) {
          keys.count = 0;
          for (; row < range.length && (range[row] as [number, number, Buffer])[1] === bucket; row += 1) {
            const [segmentId, , data] = range[row] as [number, number, Buffer];
            decodeRow(data, remaps[segmentIndex.get(segmentId) as number] as Int32Array, keys);
          }
          if (keys.count > 0) {
            this.statements.insertPosting.run(merged, bucket, this.encode(this.sortKeys(keys)));
          }
          onStep?.(bucket);
        }
      }
      for (const segment of group) {
        this.statements.deletePostings.run(segment.id);
        this.statements.deleteSegment.run(segment.id);
      }
    })();
    return keys.dropped;
  }

  /**
   * Sorts a bucket's keys: a stable counting sort by gram (the rows came in file order), then
   * a comparison sort only for the grams whose ordinals still come out of order.
   */
  private sortKeys(keys: KeyBuffer): Int32Array {
    const count = keys.count;
    const source = keys.keys;
    if (count < COUNTING_SORT_MIN) {
      return source.subarray(0, count).sort();
    }
    const starts = this.lowStarts;
    starts.fill(0);
    for (let index = 0; index < count; index += 1) {
      starts[((source[index] as number) >>> 20) + 1]! += 1;
    }
    for (let low = 0; low < BUCKET_LOWS; low += 1) {
      starts[low + 1]! += starts[low] as number;
    }
    if (this.sorted.length < count) {
      this.sorted = new Int32Array(Math.max(count, this.sorted.length * 2));
    }
    const target = this.sorted;
    for (let index = 0; index < count; index += 1) {
      const key = source[index] as number;
      target[starts[key >>> 20]!++] = key;
    }
    // Each starts[low] is now the end of that gram's run.
    let start = 0;
    for (let low = 0; low < BUCKET_LOWS; low += 1) {
      const end = starts[low] as number;
      for (let index = start + 1; index < end; index += 1) {
        if ((target[index] as number) < (target[index - 1] as number)) {
          target.subarray(start, end).sort();
          break;
        }
      }
      start = end;
    }
    return target.subarray(0, count);
  }

  /** Encodes sorted (low << 20 | ordinal) keys as a posting row, dropping duplicates. */
  private encode(keys: Int32Array): Buffer {
    const writer = this.writer;
    writer.reset();
    let index = 0;
    let previousLow = 0;
    while (index < keys.length) {
      const low = (keys[index] as number) >>> 20;
      let last = index;
      let distinct = 0;
      let previousKey = -1;
      while (last < keys.length && (keys[last] as number) >>> 20 === low) {
        if (keys[last] !== previousKey) {
          distinct += 1;
          previousKey = keys[last] as number;
        }
        last += 1;
      }
      writer.varint(low - previousLow);
      writer.varint(distinct);
      let previousOrdinal = 0;
      previousKey = -1;
      for (let entry = index; entry < last; entry += 1) {
        const key = keys[entry] as number;
        if (key === previousKey) {
          continue;
        }
        previousKey = key;
        const ordinal = key & 0xfffff;
        writer.varint(ordinal - previousOrdinal);
        previousOrdinal = ordinal;
      }
      previousLow = low;
      index = last;
    }
    // A view, not a copy: the insert copies it into SQLite, and a copy per bucket is external
    // memory that only a major GC frees (the synchronous writer rarely gets one).
    const view = writer.view(0);
    return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  }
}

/** Decoded keys (gram low bits << 20 | merged ordinal) of one bucket, grown as needed. */
interface KeyBuffer {
  keys: Int32Array;
  count: number;
  dropped: number;
}

/** Decodes one posting row into `target`, skipping (and counting) stale files. */
function decodeRow(data: Uint8Array, remap: Int32Array, target: KeyBuffer): void {
  const row = new PostingRowReader(data);
  let keys = target.keys;
  let count = target.count;
  let low = 0;
  while (!row.done) {
    low += row.varint();
    const entries = row.varint();
    if (count + entries > keys.length) {
      const grown = new Int32Array(Math.max(count + entries, keys.length * 2));
      grown.set(keys.subarray(0, count));
      keys = grown;
      target.keys = grown;
    }
    let ordinal = 0;
    for (let entry = 0; entry < entries; entry += 1) {
      ordinal += row.varint();
      const mapped = remap[ordinal] as number;
      if (mapped < 0) {
        target.dropped += 1;
      } else {
        keys[count++] = (low << 20) | mapped;
      }
    }
  }
  target.count = count;
}

/**
 * The level of a merged segment of `units` units: 1 up to BASE * FANOUT units (FANOUT full
 * batches), then one more per factor FANOUT.
 */
function levelOf(units: number): number {
  let level = 1;
  let capacity = LEVEL_BASE_UNITS * MERGE_FANOUT;
  while (units > capacity) {
    level += 1;
    capacity *= MERGE_FANOUT;
  }
  return level;
}

/**
 * The sorted, distinct units of a group of segments whose file is live (ids past `live` count
 * as live): a unit cut by a batch appears in two segments and becomes one ordinal.
 */
function mergedUnits(group: readonly LoadedSegment[], live: Uint8Array): { keys: Float64Array; fileIds: Int32Array; starts: Int32Array } {
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
