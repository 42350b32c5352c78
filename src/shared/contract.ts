/**
 * The one IPC contract between the renderer and the core. Every transport (Electron IPC,
 * the loopback HTTP server, the CLI's in-process calls) carries exactly these requests and
 * events. Arguments have runtime schemas, parsed in main before a service sees them;
 * results and events are produced by main and only typed.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { HealthReport, PoolStatus } from './health';
import type { Result } from './result';
import type {
  AlertEvent,
  AppInfo,
  ConfigEntry,
  FileLines,
  FolderCount,
  IndexDone,
  IndexProgress,
  LogEntry,
  LogLevel,
  RepositoryInfo,
  SearchPage,
  SearchTotal,
  SkippedFile,
  StatsSample,
  TaskInfo,
} from './types';
import type { eventNames, RequestName } from './names';
import { MAX_PAGE_MATCHES } from './search-limits';

// zod/mini, not classic zod: only what is used is bundled, so the one-shot CLI's start is not
// spent building classic zod's methods. Mini loads no locale itself: messages are English.
z.config(en());

const noArg = z.strictObject({});
const taskId = z.string().check(z.minLength(1), z.maxLength(100));
/** POSIX `/…`, Windows `C:\…` or `\\server\…`: a relative path would resolve against main's working folder. */
const absolutePattern = /^(\/|[A-Za-z]:[\\/]|\\\\)/;
const absolutePath = z.string().check(
  z.minLength(1, 'path is empty'),
  z.maxLength(4096, 'path is longer than 4096 characters'),
  z.refine((path) => absolutePattern.test(path), 'must be an absolute path'),
);
/** A whole number from `least` to `most`, checked as classic zod's `z.number().int().min().max()`. */
const whole = (least: number, most?: number) => z.number().check(z.int(), z.minimum(least), ...(most === undefined ? [] : [z.maximum(most)]));

/** A search result's `pathBytes`: the raw bytes of a name that is not UTF-8, base64. */
const pathBytes = z.base64('pathBytes is not base64').check(z.minLength(1, 'pathBytes is empty'), z.maxLength(8192, 'pathBytes is longer than 8192 characters'));

/** What a search looks for: the same in a page request and in a count. */
const searchQuery = {
  query: z.string().check(z.minLength(1, 'query is empty'), z.maxLength(1000, 'query is longer than 1000 characters')),
  mode: z.enum(['literal', 'regex', 'words']),
  ignoreCase: z.optional(z.boolean()),
  repo: z.optional(absolutePath),
};
/**
 * A key the client picks for one search box (or one tab): a newer search on the same
 * channel cancels the one still running there.
 */
const searchChannel = z.optional(z.string().check(z.minLength(1), z.maxLength(200)));

/** Runtime schemas of every request argument. Unknown keys are an error, not ignored. */
export const requestSchemas = {
  getHealth: noArg,
  getConfig: noArg,
  getAppInfo: noArg,
  getStatsHistory: z.strictObject({ seconds: z.optional(whole(1, 24 * 3600)) }),
  getLogs: z.strictObject({
    limit: z.optional(whole(1, 10_000)),
    level: z.optional(z.enum(['debug', 'info', 'warn', 'error'])),
  }),
  /** A bounded count of the files indexing `path` would read (INDEX_WARN_FILES), to warn before a huge folder. */
  countFolderFiles: z.strictObject({ path: absolutePath }),
  startIndexing: z.strictObject({ path: absolutePath }),
  cancelIndexing: z.strictObject({ taskId }),
  /** Drops a repository and everything indexed from it; the folder on disk is not touched. */
  removeRepository: z.strictObject({ repo: absolutePath }),
  listRepositories: noArg,
  listSkippedFiles: z.strictObject({
    repo: absolutePath,
    limit: z.optional(whole(1, 10_000)),
    offset: z.optional(whole(0)),
  }),
  search: z.strictObject({
    ...searchQuery,
    limit: z.optional(whole(1, MAX_PAGE_MATCHES)),
    /** The previous page's `nextCursor`. */
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1000))),
    /** false: do not count past the page (a streamed listing counts as it reads). */
    totals: z.optional(z.boolean()),
    channel: searchChannel,
  }),
  countMatches: z.strictObject({ ...searchQuery, channel: searchChannel }),
  getPoolStatus: noArg,
  listTasks: noArg,
  cancelTask: z.strictObject({ taskId }),
  takeHeapSnapshot: z.strictObject({ target: z.enum(['main', 'worker']), directory: z.optional(absolutePath) }),
  takeHeapProfile: z.strictObject({ seconds: z.number().check(z.minimum(1), z.maximum(600)), directory: z.optional(absolutePath) }),
  chooseFolder: noArg,
  /** `pathBytes`: the search result's, so a name that is not UTF-8 is the file meant, not a look-alike. */
  openInEditor: z.strictObject({ path: absolutePath, line: z.optional(whole(1)), pathBytes: z.optional(pathBytes) }),
  /** Lines of an indexed file read from the index: context lines and the preview. */
  readLines: z.strictObject({
    repo: absolutePath,
    path: z.string().check(z.minLength(1, 'path is empty'), z.maxLength(4096, 'path is longer than 4096 characters')),
    /** The search result's: picks the file by its raw name when `path` is a lossy form two files share. */
    pathBytes: z.optional(pathBytes),
    lines: z.array(whole(1)).check(z.minLength(1, 'no line asked for'), z.maxLength(1000, 'more than 1000 lines asked for')),
  }),
} satisfies Record<RequestName, z.ZodMiniType>;

/** What each request resolves to on success. */
export interface RequestResults {
  getHealth: HealthReport;
  getConfig: { readonly entries: readonly ConfigEntry[] };
  getAppInfo: AppInfo;
  getStatsHistory: readonly StatsSample[];
  getLogs: readonly LogEntry[];
  countFolderFiles: FolderCount;
  startIndexing: { readonly taskId: string; readonly repo: string };
  cancelIndexing: { readonly cancelled: boolean };
  /** false when the repository was not in the index. */
  removeRepository: { readonly removed: boolean };
  listRepositories: readonly RepositoryInfo[];
  listSkippedFiles: { readonly files: readonly SkippedFile[]; readonly total: number };
  search: SearchPage;
  countMatches: SearchTotal;
  getPoolStatus: PoolStatus;
  listTasks: readonly TaskInfo[];
  cancelTask: { readonly cancelled: boolean };
  takeHeapSnapshot: { readonly taskId: string; readonly path: string };
  takeHeapProfile: { readonly taskId: string; readonly path: string };
  chooseFolder: { readonly path: string | null };
  openInEditor: { readonly opened: boolean };
  readLines: FileLines;
}

/** Events main pushes to every subscriber. */
export interface EventPayloads {
  stats: StatsSample;
  indexProgress: IndexProgress;
  indexDone: IndexDone;
  task: TaskInfo;
  log: LogEntry;
  alert: AlertEvent;
}

/**
 * `true` when two unions of names are the same set; otherwise an object naming the strays,
 * which the `Agree` constraint below rejects at compile time.
 */
export type NamesAgree<Listed extends string, Mapped extends string> = [Exclude<Listed, Mapped> | Exclude<Mapped, Listed>] extends [never]
  ? true
  : { readonly listedButNotMapped: Exclude<Listed, Mapped>; readonly mappedButNotListed: Exclude<Mapped, Listed> };
type Agree<T extends true> = T;
// The schema-free lists of names.ts drive both transports: an event or request present in a
// map here but not in the list (or the other way) would be silently dropped, so it must not compile.
// (requestSchemas is checked by its `satisfies` above.)
export type EventNamesAgree = Agree<NamesAgree<(typeof eventNames)[number], keyof EventPayloads>>;
export type RequestNamesAgree = Agree<NamesAgree<RequestName, keyof RequestResults>>;

export type RequestArg<N extends RequestName> = z.input<(typeof requestSchemas)[N]>;
export type ParsedArg<N extends RequestName> = z.output<(typeof requestSchemas)[N]>;
export type RequestResult<N extends RequestName> = RequestResults[N];
export type EventName = keyof EventPayloads;

/** The API the renderer sees, whatever the transport: one method per request, plus `on`. */
export type GitbotRequests = {
  readonly [N in RequestName]: (arg: RequestArg<N>) => Promise<Result<RequestResult<N>>>;
};

export interface GitbotApi extends GitbotRequests {
  /** Subscribes to a pushed event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

export type { LogLevel };
