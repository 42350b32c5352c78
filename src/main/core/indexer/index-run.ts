import type { IndexProgress, IndexSummary, SkipReason } from '../../../shared/types';
import { FileState } from '../index/format';
import { MAX_BATCH_CHARACTERS, type Batch, type FileJob } from './batch-builder';
import { LocalSource, type BatchSource, type PipelineStats } from './batch-source';
import type { FileRef, IndexWriter, WriteOp } from './index-writer';
import type { MergeStats } from '../index/segment-merger';
import { DEFAULT_IGNORE_FILE_MAX_BYTES } from './ignore-rules';
import { RootWatch } from './root-watch';
import { walk, type WalkEntry } from './walker';
import type { RunSettings } from './protocol';

export type { RunSettings };

export interface RunHooks {
  /** Polled between files and batches; true stops the run after the current batch. */
  readonly cancelled: () => boolean;
  /**
   * Consulted after each batch: true halves the batch size, false lets it grow back.
   * `readerHeapUsed` is the heap of the thread that read the batch.
   */
  readonly memoryPressure: (readerHeapUsed: number) => boolean;
  readonly onProgress: (progress: Omit<IndexProgress, 'taskId' | 'repo'>) => void;
  /** Told each time the batch size changes, for the log. */
  readonly onBatchSize?: (size: number, reason: 'pressure' | 'recovered') => void;
  /** Told what the user should know but that does not stop the run (an ignore file skipped). */
  readonly onWarning?: (message: string) => void;
  /** Called inside a merge transaction after each bucket (tests kill the process there). */
  readonly onMergeStep?: (bucket: number) => void;
  readonly now?: () => number;
}

export interface RunResult {
  readonly status: 'completed' | 'cancelled';
  readonly summary: IndexSummary;
  readonly pipeline: PipelineStats;
  readonly merges: MergeStats;
}

/** Non-document operations (skips) one transaction carries at most. */
const MAX_BATCH_OPERATIONS = 5000;
/** Walk entries discovered ahead of the file being dispatched, so the ETA appears early. */
const LOOKAHEAD = 2000;
const PROGRESS_INTERVAL_MS = 100;

interface PendingFile {
  readonly ref: FileRef;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * One indexing run of one repository in the writer thread. The writer walks, decides from
 * size and mtime what to re-read, hands chunks of files to the batch source (reader threads,
 * or itself) and commits the batches that come back, one transaction and one trigram
 * segment each, merging segments as they pile up. Files keep state `partial` until their
 * last document is committed, so a cancelled or killed run leaves whole batches and the
 * next run redoes only what is missing.
 */
export class IndexRun {
  private readonly source: BatchSource;
  private readonly now: () => number;
  private readonly started: number;
  private readonly files = new Map<number, PendingFile>();
  private nextSeq = 1;
  private chunk: FileJob[] = [];
  private chunkDocuments = 0;
  private chunkBytes = 0;
  private nextChunk = 1;
  private local: WriteOp[] = [];
  private localDone = { files: 0, bytes: 0 };
  private localSkipped: Partial<Record<SkipReason, number>> = {};
  private batchLimit: number;
  private bytesIndexed = 0;
  private readonly skipped: Partial<Record<SkipReason, number>> = {};
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
  private merges: MergeStats = { merges: 0, segmentsMerged: 0, postingsDropped: 0, milliseconds: 0 };
  private readonly rootWatch: RootWatch;

  constructor(
    private readonly writer: IndexWriter,
    private readonly root: string,
    private readonly settings: RunSettings,
    private readonly excluded: ReadonlySet<string>,
    private readonly hooks: RunHooks,
    source?: BatchSource,
  ) {
    this.source = source ?? new LocalSource(settings);
    this.now = hooks.now ?? Date.now;
    this.started = this.now();
    this.batchLimit = settings.maxDocumentsPerBatch;
    this.rootWatch = new RootWatch(root);
  }

  run(): RunResult {
    const { repoId, run } = this.writer.startRun(this.root, this.settings.runBufferBytes);
    const ignoreFiles = { maxBytes: this.settings.ignoreFileMaxBytes ?? DEFAULT_IGNORE_FILE_MAX_BYTES, onWarning: this.hooks.onWarning ?? (() => {}) };
    const entries = walk(this.root, { maxFileSize: this.settings.maxFileSize, excluded: this.excluded, ignoreFiles });
    const queue: WalkEntry[] = [];
    let queueHead = 0;
    const nextEntry = (): WalkEntry | undefined => {
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
      return queueHead < queue.length ? queue[queueHead++] : undefined;
    };
    let cancelled = false;
    let exhausted = false;
    const stop = (): boolean => {
      cancelled ||= this.hooks.cancelled();
      return cancelled;
    };
    while (!stop()) {
      // Hand out files while a reader has room: this is where backpressure holds the walk.
      while (!exhausted && this.source.canSubmit() && !stop()) {
        const entry = nextEntry();
        if (entry === undefined) {
          exhausted = true;
          this.submitChunk();
          break;
        }
        this.dispatch(repoId, entry);
        if (this.local.length >= MAX_BATCH_OPERATIONS) {
          this.commit(repoId, run, null);
        }
        this.progress('indexing', false);
      }
      if (cancelled || (exhausted && this.source.pending() === 0)) {
        break;
      }
      const batch = this.source.take(exhausted || !this.source.canSubmit(), stop);
      if (batch !== null && !stop()) {
        this.commit(repoId, run, batch);
        this.merges = addMerges(this.merges, this.writer.mergeSegments(repoId, false, this.hooks.onMergeStep));
      }
      this.progress('indexing', false);
    }
    // Closes the folders the walk still has open (a cancelled run stops in the middle).
    entries.return(undefined);
    // Skips are whole on their own; read batches not committed are dropped
    // and their files, still `partial` or absent, are read again by the next run. The batches
    // committed are whole: their buffered postings are written, and their files completed.
    this.commit(repoId, run, null);
    this.writer.flush(repoId);
    let removed = 0;
    if (!cancelled) {
      this.progress('finishing', true);
      this.rootWatch.assertPresent();
      removed = this.writer.finishRun(repoId, run, this.now());
      this.merges = addMerges(this.merges, this.writer.mergeSegments(repoId, true, this.hooks.onMergeStep));
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
      pipeline: this.source.stats(),
      merges: this.merges,
    };
  }

  /** Decides what one walk entry needs: a skip, an unchanged mark, or a read. */
  private dispatch(repoId: number, entry: WalkEntry): void {
    if (entry.kind === 'skip') {
      this.local.push({ type: 'skip', path: entry.path, pathBytes: entry.pathBytes, reason: entry.reason, detail: entry.detail, size: entry.size, mtimeMs: entry.mtimeMs });
      this.countLocalSkip(entry.reason);
      return;
    }
    const existing = this.writer.lookup(repoId, entry.path, entry.pathBytes);
    if (existing !== undefined && existing.size === entry.size && existing.mtimeMs === entry.mtimeMs) {
      if (existing.state === FileState.indexed) {
        this.writer.markUnchanged(existing.id);
        this.filesUnchanged += 1;
        this.localDone.files += 1;
        this.localDone.bytes += entry.size;
        return;
      }
      if (existing.state === FileState.skipped && existing.reason === 'binary') {
        this.writer.markUnchanged(existing.id);
        this.countLocalSkip('binary');
        return;
      }
    }
    const seq = this.nextSeq++;
    this.files.set(seq, { ref: { path: entry.path, pathBytes: entry.pathBytes, id: null }, size: entry.size, mtimeMs: entry.mtimeMs });
    this.chunk.push({ seq, absolute: entry.absolute, size: entry.size, mtimeMs: entry.mtimeMs });
    this.chunkDocuments += Math.max(1, Math.ceil(entry.size / this.settings.maxContentLength));
    this.chunkBytes += entry.size;
    if (this.chunkDocuments >= this.batchLimit || this.chunkBytes >= MAX_BATCH_CHARACTERS) {
      this.submitChunk();
    }
  }

  private submitChunk(): void {
    if (this.chunk.length === 0) {
      return;
    }
    const chunk = { id: this.nextChunk++, batchLimit: this.batchLimit, files: this.chunk };
    this.chunk = [];
    this.chunkDocuments = 0;
    this.chunkBytes = 0;
    this.source.submit(chunk);
  }

  private countLocalSkip(reason: SkipReason): void {
    this.localSkipped[reason] = (this.localSkipped[reason] ?? 0) + 1;
    this.localDone.files += 1;
  }

  /** Commits the pending skips, with the batch when there is one. */
  private commit(repoId: number, run: number, batch: Batch | null): void {
    const ops = this.local;
    let files = this.localDone.files;
    let bytes = this.localDone.bytes;
    let indexedBytes = 0;
    let indexed = 0;
    let documents = 0;
    const skipped = this.localSkipped;
    // Resolved before the ops run: a file that ends in this batch leaves the map below.
    const segment = batch === null ? null : { files: Array.from(batch.files, (seq) => this.pending(seq).ref), starts: batch.units, postings: batch.postings };
    const text = batch === null ? null : Buffer.from(batch.text.buffer, batch.text.byteOffset, batch.text.byteLength);
    for (const op of batch?.ops ?? []) {
      const pending = this.pending(op.seq);
      switch (op.type) {
        case 'begin':
          ops.push({ type: 'begin', file: pending.ref });
          break;
        case 'document':
          ops.push({ type: 'document', file: pending.ref, firstLine: op.firstLine, text: (text as Buffer).subarray(op.start, op.end) });
          documents += 1;
          break;
        case 'end':
          ops.push({ type: 'end', file: pending.ref, size: pending.size, mtimeMs: pending.mtimeMs, documents: op.documents });
          this.files.delete(op.seq);
          files += 1;
          bytes += pending.size;
          indexedBytes += pending.size;
          indexed += 1;
          this.currentFile = pending.ref.path;
          break;
        case 'skip':
          ops.push({ type: 'skip', path: pending.ref.path, pathBytes: pending.ref.pathBytes, reason: op.reason, detail: op.detail, size: pending.size, mtimeMs: pending.mtimeMs });
          this.files.delete(op.seq);
          skipped[op.reason] = (skipped[op.reason] ?? 0) + 1;
          files += 1;
          break;
      }
    }
    if (ops.length > 0) {
      this.rootWatch.assertPresent();
      this.writer.commit(repoId, run, ops, segment);
    }
    this.local = [];
    this.localDone = { files: 0, bytes: 0 };
    this.localSkipped = {};
    this.filesDone += files;
    this.bytesDone += bytes;
    this.bytesIndexed += indexedBytes;
    this.filesIndexed += indexed;
    this.documents += documents;
    for (const [reason, count] of Object.entries(skipped) as [SkipReason, number][]) {
      this.skipped[reason] = (this.skipped[reason] ?? 0) + count;
    }
    if (batch !== null) {
      this.adaptBatchSize(batch.heapUsed);
    }
  }

  private pending(seq: number): PendingFile {
    const pending = this.files.get(seq);
    if (pending === undefined) {
      throw new Error(`A reader returned a file the writer did not ask for (seq ${seq})`);
    }
    return pending;
  }

  private adaptBatchSize(readerHeapUsed: number): void {
    const max = this.settings.maxDocumentsPerBatch;
    if (this.hooks.memoryPressure(readerHeapUsed)) {
      const smaller = Math.max(this.settings.minDocumentsPerBatch ?? 1, Math.floor(this.batchLimit / 2));
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
      bytesDiscovered: this.bytesDiscovered,
      mbPerSec: Math.round((rate / (1024 * 1024)) * 100) / 100,
      etaSeconds: this.walkDone && rate > 0 ? Math.round(remaining / rate) : null,
      currentFile: this.currentFile,
      skipped: { ...this.skipped },
    });
  }
}

function addMerges(total: MergeStats, more: MergeStats): MergeStats {
  return {
    merges: total.merges + more.merges,
    segmentsMerged: total.segmentsMerged + more.segmentsMerged,
    postingsDropped: total.postingsDropped + more.postingsDropped,
    milliseconds: total.milliseconds + more.milliseconds,
  };
}
