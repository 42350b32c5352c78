import type { IndexProgress, IndexSummary, SkipReason } from '../../../shared/types';
import { FileState } from '../db/schema';
import { DocumentSplitter } from './document-splitter';
import { streamFile } from './file-reader';
import type { FileRef, IndexWriter, WriteOp } from './index-writer';
import { PostingBuilder, type GramCursor } from './posting-builder';
import { walk, type WalkEntry } from './walker';

export interface RunSettings {
  readonly maxFileSize: number;
  readonly maxContentLength: number;
  readonly maxDocumentsPerBatch: number;
  readonly chunkSize: number;
}

export interface RunHooks {
  /** Polled between files and batches; true stops the run after the current batch. */
  readonly cancelled: () => boolean;
  /** Consulted between batches: true halves the batch size, false lets it grow back. */
  readonly memoryPressure: () => boolean;
  readonly onProgress: (progress: Omit<IndexProgress, 'taskId' | 'repo'>) => void;
  /** Told each time the batch size changes, for the log. */
  readonly onBatchSize?: (size: number, reason: 'pressure' | 'recovered') => void;
  readonly now?: () => number;
}

export interface RunResult {
  readonly status: 'completed' | 'cancelled';
  readonly summary: IndexSummary;
}

/** Characters of text one transaction carries at most, whatever the document count. */
const MAX_BATCH_CHARACTERS = 4 * 1024 * 1024;
/** Non-document operations (skips, unchanged marks) one transaction carries at most. */
const MAX_BATCH_OPERATIONS = 5000;
/** Walk entries discovered ahead of the file being read, so the ETA appears early. */
const LOOKAHEAD = 2000;
const PROGRESS_INTERVAL_MS = 100;

/**
 * One indexing run of one repository, synchronous, in the writer thread: walk, stream each
 * new or changed file into documents and trigrams, and commit them in batches. Files keep
 * state `partial` until their last document is committed, so a cancelled or killed run
 * leaves whole batches and the next run redoes only what is missing.
 */
export class IndexRun {
  private readonly builder = new PostingBuilder();
  private readonly buffer: Buffer;
  private readonly now: () => number;
  private readonly started: number;
  private ops: WriteOp[] = [];
  private segmentFiles: FileRef[] = [];
  private batchDocuments = 0;
  private batchCharacters = 0;
  private batchOperations = 0;
  private batchLimit: number;
  private pendingDone = { files: 0, bytes: 0, indexedBytes: 0, indexed: 0, documents: 0 };
  private bytesIndexed = 0;
  private readonly skipped: Partial<Record<SkipReason, number>> = {};
  private pendingSkipped: Partial<Record<SkipReason, number>> = {};
  private filesDiscovered = 0;
  private bytesDiscovered = 0;
  private walkDone = false;
  private filesDone = 0;
  private bytesDone = 0;
  private filesIndexed = 0;
  private filesUnchanged = 0;
  private documents = 0;
  private lastProgress = 0;
  private currentFile: string | null = null;

  constructor(
    private readonly writer: IndexWriter,
    private readonly root: string,
    private readonly settings: RunSettings,
    private readonly excluded: ReadonlySet<string>,
    private readonly hooks: RunHooks,
  ) {
    this.buffer = Buffer.allocUnsafe(settings.chunkSize);
    this.now = hooks.now ?? Date.now;
    this.started = this.now();
    this.batchLimit = settings.maxDocumentsPerBatch;
  }

  run(): RunResult {
    const { repoId, run } = this.writer.startRun(this.root);
    const entries = walk(this.root, { maxFileSize: this.settings.maxFileSize, excluded: this.excluded });
    const queue: WalkEntry[] = [];
    let queueHead = 0;
    const topUp = (): void => {
      while (!this.walkDone && queue.length - queueHead < LOOKAHEAD) {
        const next = entries.next();
        if (next.done === true) {
          this.walkDone = true;
          break;
        }
        queue.push(next.value);
        this.filesDiscovered += 1;
        this.bytesDiscovered += next.value.kind === 'file' ? next.value.size : 0;
      }
      if (queueHead > LOOKAHEAD) {
        queue.splice(0, queueHead);
        queueHead = 0;
      }
    };
    let cancelled = false;
    for (;;) {
      if (this.hooks.cancelled()) {
        cancelled = true;
        break;
      }
      topUp();
      if (queueHead >= queue.length) {
        break;
      }
      const entry = queue[queueHead++] as WalkEntry;
      this.currentFile = entry.path;
      if (entry.kind === 'skip') {
        this.skip(entry.path, entry.reason, entry.detail, entry.size, entry.mtimeMs);
      } else {
        this.indexFile(repoId, run, entry);
      }
      if (this.hooks.cancelled()) {
        // The pending batch is committed below: it holds whole documents, and a file cut
        // short stays `partial`, to be redone by the next run.
        cancelled = true;
        break;
      }
      this.maybeCommit(repoId, run);
      this.progress('indexing', false);
    }
    this.commit(repoId, run);
    let removed = 0;
    if (!cancelled) {
      this.progress('finishing', true);
      removed = this.writer.finishRun(repoId, run, this.now());
    }
    this.progress(cancelled ? 'indexing' : 'finishing', true);
    return {
      status: cancelled ? 'cancelled' : 'completed',
      summary: {
        repo: this.root,
        files_indexed: this.filesIndexed,
        files_unchanged: this.filesUnchanged,
        files_removed: removed,
        files_skipped: { ...this.skipped },
        bytes_indexed: this.bytesIndexed,
        documents: this.documents,
        seconds: Math.round((this.now() - this.started) / 10) / 100,
      },
    };
  }

  private indexFile(repoId: number, run: number, entry: Extract<WalkEntry, { kind: 'file' }>): void {
    const existing = this.writer.lookup(repoId, entry.path);
    if (existing !== undefined && existing.size === entry.size && existing.mtimeMs === entry.mtimeMs) {
      if (existing.state === FileState.indexed) {
        this.ops.push({ type: 'seen', id: existing.id });
        this.batchOperations += 1;
        this.filesUnchanged += 1;
        this.pendingDone.files += 1;
        this.pendingDone.bytes += entry.size;
        return;
      }
      if (existing.state === FileState.skipped && existing.reason === 'binary') {
        this.ops.push({ type: 'seen', id: existing.id });
        this.batchOperations += 1;
        this.countSkip('binary');
        this.pendingDone.files += 1;
        return;
      }
    }
    const file: FileRef = { path: entry.path, id: null };
    this.ops.push({ type: 'begin', file });
    const splitter = new DocumentSplitter(this.settings.maxContentLength);
    let cursor: GramCursor | null = null;
    let carried: GramCursor | null = null;
    let documents = 0;
    const addDocument = (firstLine: number, text: string): void => {
      if (cursor === null) {
        const previous: GramCursor | null = carried;
        cursor = this.builder.beginFile(this.segmentFiles.length);
        if (previous !== null) {
          // Grams of a line cut between two transactions still span the cut.
          cursor.previous = previous.previous;
          cursor.beforePrevious = previous.beforePrevious;
          cursor.run = previous.run;
        }
        this.segmentFiles.push(file);
      }
      const words = this.builder.addText(cursor, text);
      this.ops.push({ type: 'document', file, firstLine, words, text });
      documents += 1;
      this.batchDocuments += 1;
      this.batchCharacters += text.length;
      this.pendingDone.documents += 1;
      if (this.batchDocuments >= this.batchLimit || this.batchCharacters >= MAX_BATCH_CHARACTERS) {
        // A long file continues in the next transaction; its row stays `partial` until its end.
        this.commit(repoId, run);
        carried = cursor;
        cursor = null;
      }
    };
    const outcome = streamFile(entry.absolute, entry, this.settings.chunkSize, this.buffer, (text) => {
      for (const piece of splitter.push(text)) {
        addDocument(piece.firstLine, piece.text);
      }
    });
    if (!outcome.ok) {
      this.skip(entry.path, outcome.reason, outcome.detail, entry.size, entry.mtimeMs);
      return;
    }
    const last = splitter.end();
    if (last !== null) {
      addDocument(last.firstLine, last.text);
    }
    this.ops.push({ type: 'end', file, size: entry.size, mtimeMs: entry.mtimeMs, documents });
    this.pendingDone.files += 1;
    this.pendingDone.bytes += entry.size;
    this.pendingDone.indexedBytes += entry.size;
    this.pendingDone.indexed += 1;
  }

  private skip(path: string, reason: SkipReason, detail: string | null, size: number, mtimeMs: number): void {
    this.ops.push({ type: 'skip', path, reason, detail, size, mtimeMs });
    this.batchOperations += 1;
    this.countSkip(reason);
    this.pendingDone.files += 1;
  }

  private countSkip(reason: SkipReason): void {
    this.pendingSkipped[reason] = (this.pendingSkipped[reason] ?? 0) + 1;
  }

  private maybeCommit(repoId: number, run: number): void {
    if (this.batchDocuments >= this.batchLimit || this.batchCharacters >= MAX_BATCH_CHARACTERS || this.batchOperations >= MAX_BATCH_OPERATIONS) {
      this.commit(repoId, run);
    }
  }

  private commit(repoId: number, run: number): void {
    if (this.ops.length === 0) {
      return;
    }
    const postings = this.builder.finish();
    this.writer.commit(repoId, run, this.ops, this.segmentFiles, postings);
    this.ops = [];
    this.segmentFiles = [];
    this.batchDocuments = 0;
    this.batchCharacters = 0;
    this.batchOperations = 0;
    this.filesDone += this.pendingDone.files;
    this.bytesDone += this.pendingDone.bytes;
    this.bytesIndexed += this.pendingDone.indexedBytes;
    this.filesIndexed += this.pendingDone.indexed;
    this.documents += this.pendingDone.documents;
    this.pendingDone = { files: 0, bytes: 0, indexedBytes: 0, indexed: 0, documents: 0 };
    for (const [reason, count] of Object.entries(this.pendingSkipped) as [SkipReason, number][]) {
      this.skipped[reason] = (this.skipped[reason] ?? 0) + count;
    }
    this.pendingSkipped = {};
    this.adaptBatchSize();
  }

  private adaptBatchSize(): void {
    const max = this.settings.maxDocumentsPerBatch;
    if (this.hooks.memoryPressure()) {
      const smaller = Math.max(1, Math.floor(this.batchLimit / 2));
      if (smaller !== this.batchLimit) {
        this.batchLimit = smaller;
        this.hooks.onBatchSize?.(smaller, 'pressure');
      }
    } else if (this.batchLimit < max) {
      this.batchLimit = Math.min(max, this.batchLimit * 2);
      this.hooks.onBatchSize?.(this.batchLimit, 'recovered');
    }
  }

  private progress(phase: IndexProgress['phase'], force: boolean): void {
    const time = this.now();
    if (!force && time - this.lastProgress < PROGRESS_INTERVAL_MS) {
      return;
    }
    this.lastProgress = time;
    const seconds = Math.max((time - this.started) / 1000, 0.001);
    const rate = this.bytesDone / seconds;
    const remaining = Math.max(0, this.bytesDiscovered - this.bytesDone);
    this.hooks.onProgress({
      phase,
      filesDiscovered: this.filesDiscovered,
      walkDone: this.walkDone,
      filesDone: this.filesDone,
      bytesDone: this.bytesDone,
      mbPerSec: Math.round((rate / (1024 * 1024)) * 100) / 100,
      etaSeconds: this.walkDone && rate > 0 ? Math.round(remaining / rate) : null,
      currentFile: this.currentFile,
      skipped: { ...this.skipped },
    });
  }
}
