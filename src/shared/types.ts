/**
 * Plain data types that cross the IPC boundary. No behaviour here: src/shared is imported
 * by every process, so it imports nothing of the app and nothing of Node or the DOM.
 */
import type { PoolStatus } from './health';

export type TaskStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface TaskInfo {
  readonly id: string;
  readonly type: string;
  readonly status: TaskStatus;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  /** 0..1, or null when the task cannot tell. */
  readonly progress: number | null;
  readonly metadata: Readonly<Record<string, string | number | boolean | null>>;
  readonly error: string | null;
}

/** Memory of one thread or process, in bytes. */
export interface MemoryFigures {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

export interface WorkerMemory {
  readonly threadId: number;
  readonly name: string;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
}

/** One process of the Electron app, from app.getAppMetrics(); absent outside Electron. */
export interface ProcessMemory {
  readonly pid: number;
  readonly type: string;
  readonly name: string;
  /** Working set in bytes. */
  readonly workingSet: number;
  readonly cpuPercent: number;
}

export interface GcEvent {
  readonly time: number;
  readonly kind: 'minor' | 'major' | 'incremental' | 'weakcb' | 'unknown';
  readonly durationMs: number;
}

/**
 * The core process as a whole. `rss` (in MemoryFigures) counts every thread; the kernel splits
 * it into anonymous pages (every thread's heap, malloc arenas, SQLite caches) and file-backed
 * ones (the binary, libraries). Both are null where the OS does not tell (not Linux).
 */
export interface ProcessFigures extends MemoryFigures {
  readonly vmSize: number;
  readonly rssAnonymous: number | null;
  readonly rssFileBacked: number | null;
}

/** The latest threshold cleanup, with the whole process's RSS before and after it. */
export interface CleanupSummary {
  readonly time: number;
  readonly rssBefore: number;
  readonly rssAfter: number;
  /** True when the RSS was still over MEMORY_THRESHOLD_MB after the cleanup; cleared by the first sample under it. */
  readonly stillOver: boolean;
}

/** One sample of the memory monitor, pushed as the `stats` event. */
export interface StatsSample {
  readonly time: number;
  /** The main thread's heap and the whole process's RSS (all threads). */
  readonly main: ProcessFigures;
  /** RSS over total system memory, in percent. */
  readonly percent: number;
  readonly heapLimit: number;
  /** MEMORY_THRESHOLD_MB in bytes, compared with the whole process's RSS. */
  readonly thresholdBytes: number;
  readonly eventLoop: { readonly delayP50Ms: number; readonly delayP99Ms: number; readonly utilization: number };
  /** GC events since the previous sample. */
  readonly gc: readonly GcEvent[];
  readonly workers: readonly WorkerMemory[];
  readonly processes: readonly ProcessMemory[];
  readonly pool: PoolStatus;
  readonly tasks: { readonly active: number; readonly total: number };
  /** V8 heap statistics of the main thread (v8.getHeapStatistics), in bytes. */
  readonly v8?: V8HeapFigures;
  /** RSS above which the `memory_alert` alert fires: ALERT_PERCENT of MEMORY_LIMIT_MB (or of system memory). */
  readonly alertBytes?: number;
  /** The latest threshold cleanup while its effect is current; null before the first and once RSS is back under the threshold. */
  readonly lastCleanup?: CleanupSummary | null;
}

export interface V8HeapFigures {
  readonly totalHeapSize: number;
  readonly usedHeapSize: number;
  readonly heapSizeLimit: number;
  readonly mallocedMemory: number;
  readonly externalMemory: number;
  readonly nativeContexts: number;
  /** Contexts no longer used but not yet collected: a non-zero figure that stays is a leak. */
  readonly detachedContexts: number;
}

export type AlertKind = 'memory_cleanup' | 'memory_alert' | 'possible_leak' | 'pool_usage';

export interface AlertEvent {
  readonly time: number;
  readonly kind: AlertKind;
  readonly message: string;
  /** e.g. the heap slope in bytes per minute for possible_leak. */
  readonly value: number | null;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  readonly time: number;
  readonly level: LogLevel;
  readonly message: string;
  readonly fields?: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * Why a file is listed as skipped. `symlink`: never followed (as rg and git), detail `-> target`;
 * `special_file`: a FIFO, socket or device, detail says which; `too_deep`: a folder below
 * MAX_WALK_DEPTH (256), not entered.
 */
export type SkipReason = 'too_large' | 'binary' | 'unreadable' | 'symlink' | 'special_file' | 'too_deep' | 'changed_while_reading';

export interface IndexProgress {
  readonly taskId: string;
  readonly repo: string;
  readonly phase: 'walking' | 'indexing' | 'finishing';
  readonly filesDiscovered: number;
  /** True once the walk has finished, so filesDiscovered is final. */
  readonly walkDone: boolean;
  readonly filesDone: number;
  readonly bytesDone: number;
  /** Bytes of the files found so far (final once walkDone): what the dashboard's percentage and ETA are measured against. */
  readonly bytesDiscovered?: number;
  readonly mbPerSec: number;
  readonly etaSeconds: number | null;
  readonly currentFile: string | null;
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
}

export interface IndexSummary {
  readonly repo: string;
  readonly files_indexed: number;
  readonly files_unchanged: number;
  readonly files_removed: number;
  readonly files_skipped: Readonly<Partial<Record<SkipReason, number>>>;
  readonly bytes_indexed: number;
  readonly documents: number;
  readonly seconds: number;
}

export interface IndexDone {
  readonly taskId: string;
  readonly repo: string;
  readonly status: 'completed' | 'cancelled' | 'failed';
  readonly summary: IndexSummary;
  readonly error: string | null;
}

export interface RepositoryInfo {
  readonly root: string;
  readonly lastIndexedAt: number | null;
  readonly files: number;
  readonly bytes: number;
  readonly documents: number;
  readonly skipped: number;
}

/** A bounded count of the files an index run of a folder would read, taken before indexing it. */
export interface FolderCount {
  /** The folder's real path (the repository's key). */
  readonly root: string;
  /** Files counted: at most `limit + 1`. */
  readonly files: number;
  /** INDEX_WARN_FILES: above it the dashboard asks before indexing; 0 means it never asks. */
  readonly limit: number;
  /** `end`: every file counted; `limit`: stopped at limit + 1; `time`: the time budget ran out first; `off`: limit 0, not counted. */
  readonly stoppedBy: 'end' | 'limit' | 'time' | 'off';
  readonly elapsedMs: number;
}

export interface SkippedFile {
  readonly path: string;
  readonly reason: SkipReason;
  readonly detail: string | null;
}

export type SearchMode = 'literal' | 'regex' | 'words';

export interface SearchMatch {
  /** Relative to the repository root, `/`-separated; shown lossily (U+FFFD) when the name is not UTF-8. */
  readonly path: string;
  /**
   * The name's raw bytes relative to the root, base64, present only when they are not UTF-8:
   * two such names can share one lossy `path`, and these bytes tell them apart (readLines, openInEditor).
   */
  readonly pathBytes?: string;
  /** Absolute root of the repository the match belongs to. */
  readonly repo: string;
  /** 1-based. */
  readonly line: number;
  readonly text: string;
  /** [start, end) UTF-16 offsets into text. */
  readonly ranges: readonly (readonly [number, number])[];
  /** BM25 score for words mode, else null. */
  readonly score?: number | null;
}

/** How many matches a query has in all, and in how many files. */
export interface SearchTotal {
  readonly matches: number;
  readonly files: number;
  /**
   * False when counting stopped at its time budget: the figures are then "at least"; the
   * countMatches request counts on, within SEARCH_TIMEOUT_MS.
   */
  readonly exact: boolean;
}

export interface SearchPage {
  readonly matches: readonly SearchMatch[];
  readonly total: SearchTotal;
  /** Opaque position after this page's last match: pass it as `cursor` for the next page. Absent on the last page. */
  readonly nextCursor?: string;
  readonly elapsedMs: number;
}

export type ConfigSource = 'default' | 'env' | '.env' | 'cli';

export interface ConfigEntry {
  readonly name: string;
  readonly value: string | number | boolean;
  readonly source: ConfigSource;
  readonly description: string;
}

export interface AppInfo {
  readonly version: string;
  readonly runtime: 'electron' | 'node';
  readonly dbPath: string;
  readonly dataDir: string;
  /** The home folder of the user the core runs as (os.homedir()): what ~ means in a typed path, and the folder warned about. */
  readonly homeDir: string;
  readonly canChooseFolder: boolean;
  readonly canOpenInEditor: boolean;
}

/** One line of an indexed file, as the index holds it (context lines, the preview). */
export interface FileLine {
  /** 1-based. */
  readonly line: number;
  readonly text: string;
  /** True when the line was longer than the read returns and `text` is its start. */
  readonly cut?: boolean;
}

/** Lines read from the index for one file. */
export interface FileLines {
  readonly repo: string;
  readonly path: string;
  /** As asked: the raw name bytes (base64) when the name is not UTF-8. */
  readonly pathBytes?: string;
  /** The lines asked for that exist, in order. */
  readonly lines: readonly FileLine[];
}
