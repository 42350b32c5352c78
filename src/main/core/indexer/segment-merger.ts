import type BetterSqlite3 from 'better-sqlite3';
import { FileState } from '../db/schema';
import { BUCKET_COUNT } from '../search/grams';
import { ByteWriter } from './byte-writer';
import { MAX_SEGMENT_FILES } from './posting-builder';

type Database = BetterSqlite3.Database;

/** Segments of one level merged into one of the next (a log-structured merge). */
export const MERGE_FANOUT = 16;
/** Files of a level-0 segment (one batch); level n holds about BASE * FANOUT^n files. */
const LEVEL_BASE_FILES = 100;
/** A segment whose files are more than this fraction stale is rewritten at the end of a run. */
const MAX_STALE_FRACTION = 0.25;

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
  readonly fileIds: Int32Array;
}

const noMerge: MergeStats = { merges: 0, segmentsMerged: 0, postingsDropped: 0, milliseconds: 0 };

/**
 * Keeps the number of trigram segments of a repository small and drops stale postings.
 * Segments carry a level: a batch writes level 0, and whenever MERGE_FANOUT segments share
 * a level they merge into one of the level their file count gives. At the end of a run the
 * run's level-0 segments merge into one, and mostly stale segments are rewritten. Each merge
 * is one transaction: killed in the middle, the database keeps the segments it had.
 */
export class SegmentMerger {
  private readonly statements;
  private readonly writer = new ByteWriter();

  constructor(private readonly db: Database) {
    this.statements = {
      segments: db.prepare('SELECT id, level, file_ids AS fileIds FROM segments WHERE repo_id = ? ORDER BY id'),
      live: db.prepare(`SELECT id FROM files WHERE repo_id = ? AND state <> ${FileState.skipped}`).pluck(),
      maxFileId: db.prepare('SELECT max(id) FROM files').pluck(),
      insertSegment: db.prepare('INSERT INTO segments (repo_id, file_ids, level) VALUES (?, ?, ?)'),
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
    const liveFiles = (): Uint8Array => (live ??= this.liveFiles(repoId));
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
    return (this.statements.segments.all(repoId) as { id: number; level: number; fileIds: Buffer }[]).map((row) => {
      const fileIds = new Int32Array(row.fileIds.byteLength / 4);
      new Uint8Array(fileIds.buffer).set(row.fileIds);
      return { id: row.id, level: row.level, fileIds };
    });
  }

  /** The next group of segments to merge, or null when the policy is satisfied. */
  private pickGroup(segments: readonly SegmentRow[], final: boolean, liveFiles: () => Uint8Array): SegmentRow[] | null {
    const byLevel = new Map<number, SegmentRow[]>();
    for (const segment of segments) {
      const level = byLevel.get(segment.level) ?? [];
      level.push(segment);
      byLevel.set(segment.level, level);
    }
    for (const level of [...byLevel.keys()].sort((left, right) => left - right)) {
      const group = byLevel.get(level) as SegmentRow[];
      if (group.length >= MERGE_FANOUT) {
        return fitting(group.slice(0, MERGE_FANOUT));
      }
    }
    if (!final) {
      return null;
    }
    const fresh = byLevel.get(0) ?? [];
    if (fresh.length > 1) {
      return fitting(fresh);
    }
    const live = liveFiles();
    for (const segment of segments) {
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

  private liveFiles(repoId: number): Uint8Array {
    const maxId = (this.statements.maxFileId.get() as number | null) ?? 0;
    const live = new Uint8Array(maxId + 1);
    for (const id of this.statements.live.iterate(repoId) as Iterable<number>) {
      live[id] = 1;
    }
    return live;
  }

  /** Merges `group` into one segment in one transaction; returns the postings dropped. */
  private merge(repoId: number, group: readonly SegmentRow[], live: Uint8Array, onStep?: (bucket: number) => void): number {
    const ids = [...new Set(group.flatMap((segment) => [...segment.fileIds]))].filter((id) => live[id] === 1).sort((left, right) => left - right);
    const ordinalOf = new Map<number, number>(ids.map((id, ordinal) => [id, ordinal]));
    // Per input segment, its ordinals mapped to the merged segment's (-1: stale, dropped).
    const remaps = group.map((segment) => Int32Array.from(segment.fileIds, (id) => ordinalOf.get(id) ?? -1));
    const level = levelOf(ids.length);
    const placeholders = group.map(() => '?').join(', ');
    const rows = this.db.prepare(`SELECT segment_id, data FROM postings WHERE bucket = ? AND segment_id IN (${placeholders})`).raw();
    const segmentIndex = new Map(group.map((segment, index) => [segment.id, index]));
    const keys: KeyBuffer = { keys: new Int32Array(64 * 1024), count: 0, dropped: 0 };
    const groupIds = group.map((segment) => segment.id);
    this.db.transaction(() => {
      // Every file of the group stale: the segments just go.
      const merged = ids.length === 0 ? null : this.statements.insertSegment.run(repoId, Buffer.from(Int32Array.from(ids).buffer), level).lastInsertRowid;
      for (let bucket = 0; merged !== null && bucket < BUCKET_COUNT; bucket += 1) {
        keys.count = 0;
        for (const [segmentId, data] of rows.iterate(bucket, ...groupIds) as Iterable<[number, Buffer]>) {
          decodeRow(data, remaps[segmentIndex.get(segmentId) as number] as Int32Array, keys);
        }
        if (keys.count > 0) {
          this.statements.insertPosting.run(merged, bucket, this.encode(keys.keys.subarray(0, keys.count).sort()));
        }
        onStep?.(bucket);
      }
      for (const segment of group) {
        this.statements.deletePostings.run(segment.id);
        this.statements.deleteSegment.run(segment.id);
      }
    })();
    return keys.dropped;
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
    return Buffer.from(writer.view(0));
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
  let keys = target.keys;
  let count = target.count;
  let offset = 0;
  let low = 0;
  const length = data.length;
  while (offset < length) {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = data[offset++] as number;
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte >= 0x80);
    low += value;
    let entries = 0;
    shift = 0;
    do {
      byte = data[offset++] as number;
      entries |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte >= 0x80);
    if (count + entries > keys.length) {
      const grown = new Int32Array(Math.max(count + entries, keys.length * 2));
      grown.set(keys.subarray(0, count));
      keys = grown;
      target.keys = grown;
    }
    let ordinal = 0;
    for (let entry = 0; entry < entries; entry += 1) {
      let delta = 0;
      shift = 0;
      do {
        byte = data[offset++] as number;
        delta |= (byte & 0x7f) << shift;
        shift += 7;
      } while (byte >= 0x80);
      ordinal += delta;
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

/** The level of a merged segment of `files` files: 1 below BASE * FANOUT files, then one more per factor FANOUT. */
function levelOf(files: number): number {
  let level = 1;
  let capacity = LEVEL_BASE_FILES * MERGE_FANOUT;
  while (files >= capacity) {
    level += 1;
    capacity *= MERGE_FANOUT;
  }
  return level;
}

/** The longest prefix of `group` whose files fit in one segment (at least two segments, or none). */
function fitting(group: readonly SegmentRow[]): SegmentRow[] | null {
  const picked: SegmentRow[] = [];
  let files = 0;
  for (const segment of group) {
    if (files + segment.fileIds.length > MAX_SEGMENT_FILES) {
      break;
    }
    files += segment.fileIds.length;
    picked.push(segment);
  }
  return picked.length >= 2 ? picked : null;
}
