import { getHeapStatistics } from 'node:v8';
import type { SkipReason } from '../../../shared/types';
import type { RawPath } from '../files/raw-path';
import { DocumentSplitter } from './document-splitter';
import { MAX_BATCH_CHARACTERS, type BatchSettings } from './protocol';
import { streamFile } from './file-reader';
import { PostingBuilder, type GramCursor, type PackedPostings } from './posting-builder';

export type { BatchSettings };

const NEWLINE = 10;

// Defined with the thread protocol, so the main thread can size the readers without loading this module.
export { MAX_BATCH_CHARACTERS } from './protocol';

/** A file the writer wants read; `seq` names it in the batches that come back. */
export interface FileJob {
  readonly seq: number;
  /** Bytes when the name is not UTF-8 (a Uint8Array once it crossed to a reader thread). */
  readonly absolute: RawPath;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Files handed to a reader in one message, and the batch size to cut them into. */
export interface Chunk {
  readonly id: number;
  readonly batchLimit: number;
  readonly files: readonly FileJob[];
}

/** What a reader found, in file order; `begin` comes with a file's first document. */
export type BatchOp =
  | { readonly type: 'begin'; readonly seq: number }
  /** The document's text is bytes [start, end) of the batch's `text`, UTF-8. */
  | { readonly type: 'document'; readonly seq: number; readonly firstLine: number; readonly start: number; readonly end: number }
  | { readonly type: 'end'; readonly seq: number; readonly documents: number }
  | { readonly type: 'skip'; readonly seq: number; readonly reason: SkipReason; readonly detail: string | null };

/** One transaction's worth of read files: operations and the trigram segment of their text. */
export interface Batch {
  readonly chunk: number;
  /** True on the chunk's last batch: the reader is done with the chunk. */
  readonly last: boolean;
  readonly ops: BatchOp[];
  /** The file of each posting ordinal (a unit), as seqs. */
  readonly files: Int32Array;
  /** The index, within its file, of each unit's first document. */
  readonly units: Int32Array;
  readonly postings: PackedPostings;
  /**
   * The documents' text, UTF-8, back to back: one transferable buffer instead of strings,
   * so the writer neither copies nor re-encodes text on its way into SQLite.
   */
  readonly text: Uint8Array;
  readonly characters: number;
  /** Heap bytes of the thread that built the batch, for the writer's memory-pressure check. */
  readonly heapUsed: number;
}

/**
 * Reads files into documents and trigram postings and cuts them into batches: the
 * CPU-heavy half of indexing (reading, decoding, splitting, gram extraction, posting
 * encoding), run by reader threads or, without them, by the writer itself. A file longer
 * than a batch continues in the next one; grams of a line cut between two batches still
 * span the cut, and its unit keeps its start in both batches' segments.
 */
export class BatchBuilder {
  private readonly postings = new PostingBuilder();
  private readonly buffer: Buffer;
  private readonly encoder = new TextEncoder();
  /** This batch's documents as UTF-8, reused from batch to batch (a copy leaves with each). */
  private text = new Uint8Array(64 * 1024);
  private textLength = 0;
  private ops: BatchOp[] = [];
  private files: number[] = [];
  private units: number[] = [];
  private documents = 0;
  private characters = 0;

  constructor(
    private readonly settings: BatchSettings,
    private readonly emit: (batch: Batch) => void,
    // Not process.memoryUsage(): it reads the RSS from /proc, 0.5 s of a large build.
    private readonly heapUsed: () => number = () => getHeapStatistics().used_heap_size,
  ) {
    this.buffer = Buffer.allocUnsafe(settings.chunkSize);
  }

  /** Reads every file of the chunk and emits its batches, the last one flagged; `onFile` hears of each file before it is read. */
  addChunk(chunk: Chunk, onFile?: (job: FileJob) => void): void {
    for (const job of chunk.files) {
      onFile?.(job);
      this.addFile(chunk, job);
    }
    this.flush(chunk, true);
  }

  private addFile(chunk: Chunk, job: FileJob): void {
    const splitter = new DocumentSplitter(this.settings.maxContentLength);
    let cursor: GramCursor | null = null;
    let carried: GramCursor | null = null;
    let unitStart = 0;
    // Whether the previous document ended a line: the next one then starts a unit.
    let endsLine = true;
    let documents = 0;
    const addDocument = (firstLine: number, text: string): void => {
      if (endsLine) {
        unitStart = documents;
        cursor = this.beginUnit(job.seq, unitStart, null);
      } else if (cursor === null) {
        // A line cut by the last batch: its unit goes on under an ordinal of this batch, and
        // grams spanning the cut still count.
        cursor = this.beginUnit(job.seq, unitStart, carried);
      }
      if (documents === 0) {
        this.ops.push({ type: 'begin', seq: job.seq });
      }
      this.postings.addText(cursor, text);
      const start = this.textLength;
      this.appendText(text);
      this.ops.push({ type: 'document', seq: job.seq, firstLine, start, end: this.textLength });
      endsLine = text.charCodeAt(text.length - 1) === NEWLINE;
      documents += 1;
      this.documents += 1;
      this.characters += text.length;
      if (this.documents >= chunk.batchLimit || this.characters >= MAX_BATCH_CHARACTERS) {
        // A long file continues in the next batch; the writer keeps it `partial` until its end.
        this.flush(chunk, false);
        carried = cursor;
        cursor = null;
      }
    };
    const outcome = streamFile(job.absolute, job, this.settings.chunkSize, this.buffer, (text) => {
      for (const piece of splitter.push(text)) {
        addDocument(piece.firstLine, piece.text);
      }
    });
    if (!outcome.ok) {
      this.ops.push({ type: 'skip', seq: job.seq, reason: outcome.reason, detail: outcome.detail });
      return;
    }
    const last = splitter.end();
    if (last !== null) {
      addDocument(last.firstLine, last.text);
    }
    if (documents === 0) {
      this.ops.push({ type: 'begin', seq: job.seq });
    }
    this.ops.push({ type: 'end', seq: job.seq, documents });
  }

  /** Gives the batch a new posting ordinal for a unit of file `seq`, continuing `carried`'s grams. */
  private beginUnit(seq: number, start: number, carried: GramCursor | null): GramCursor {
    const cursor = this.postings.beginUnit(this.files.length);
    if (carried !== null) {
      cursor.previous = carried.previous;
      cursor.beforePrevious = carried.beforePrevious;
      cursor.run = carried.run;
    }
    this.files.push(seq);
    this.units.push(start);
    return cursor;
  }

  private flush(chunk: Chunk, last: boolean): void {
    const batch: Batch = {
      chunk: chunk.id,
      last,
      ops: this.ops,
      files: Int32Array.from(this.files),
      units: Int32Array.from(this.units),
      postings: this.postings.finish(),
      text: this.text.slice(0, this.textLength),
      characters: this.characters,
      heapUsed: this.heapUsed(),
    };
    this.ops = [];
    this.files = [];
    this.units = [];
    this.documents = 0;
    this.characters = 0;
    this.textLength = 0;
    this.emit(batch);
  }

  private appendText(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    const needed = this.textLength + text.length * 3;
    if (needed > this.text.length) {
      const grown = new Uint8Array(Math.max(needed, this.text.length * 2));
      grown.set(this.text.subarray(0, this.textLength));
      this.text = grown;
    }
    this.textLength += this.encoder.encodeInto(text, this.text.subarray(this.textLength)).written;
  }
}
