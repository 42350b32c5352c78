import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { ProcessMemory } from '../../shared/types';
import type { LoadedConfig } from './config/load-config';
import { AppError, toResultError } from './base/errors';
import { createApi } from '../../shared/client';
import type { GitbotApi } from '../../shared/contract';
import { EventHub } from './base/events';
import { inProcessTransport } from './in-process-transport';
import { FaultRegister } from './base/faults';
import { buildHealthReport } from './health/health-report';
import { DisposableStore, SHUTDOWN_MARGIN_MS, ShutdownDeadline, toDisposable } from './base/lifecycle';
import { formatLogLine, levelRank, SinkLogger, type Logger, type LogSink } from './log/logger';
import { RingBuffer } from './log/ring-buffer';
import { RotatingFile } from './log/rotating-file';
import { canCollectGarbage, collectGarbage } from './monitor/gc';
import { startHeapProfile } from './monitor/heap-profile';
import { periodicGc } from './monitor/periodic-gc';
import { startHeapSnapshot } from './monitor/heap-snapshot';
import { allowedHeapFolder } from './monitor/profile-files';
import { MemoryMonitor } from './monitor/memory-monitor';
import { WorkerRegistry, type HeapFigures } from './monitor/worker-heaps';
import { PressureFlag } from './monitor/pressure-flag';
import { toMb } from './monitor/process-memory';
import { memoryBudget } from './config/memory-budget';
import type { AppPaths } from './base/paths';
import { prepareDatabase, type DatabaseAccess } from './db/prepare-database';
import { DatabaseIntegrity, removeOpenMarker, writeOpenMarker } from './db/integrity-check';
import { ReaderPool } from './db/pool';
import type { ReaderOps } from './query/reader-ops';
import { Indexer } from './indexer/indexer';
import { precheckFolder } from './precheck/count-folder-files';
import { assertIndexedTextFile } from './indexed-file';
import { createDispatch, describeIssues, type Dispatch, type Handlers } from './router';
import type { ListingSource } from './search-listing';
import { SearchChannels } from './search-channels';
import { searchTimedOut } from './search/search-control';
import { scheduleMaintenance } from './tasks/maintenance';
import { periodicHealth } from './periodic-health';
import { poolConfigFrom, poolMaintenanceIntervalMs } from './db/pool-config';
import { FORCE_WAIT_MS, TaskManager } from './tasks/task-manager';
import type { WorkerLocator } from './base/workers';
import type { LogEntry } from '../../shared/types';
import { requestSchemas } from '../../shared/contract';
import { fail, ok } from '../../shared/result';

export interface CoreOptions {
  readonly config: LoadedConfig;
  readonly paths: AppPaths;
  readonly workers: WorkerLocator;
  readonly runtime: 'node' | 'electron';
  readonly version: string;
  /** Every process of the app (Electron's app.getAppMetrics); absent elsewhere. */
  readonly processes?: () => readonly ProcessMemory[];
  /** Requests only a runtime with native UI can serve (folder dialog, open in editor). */
  readonly nativeHandlers?: Partial<Pick<Handlers, 'chooseFolder' | 'openInEditor'>>;
  /** Extra log sinks, e.g. stderr for the CLI. */
  readonly logSinks?: readonly LogSink[];
  /** Write the rotating log file (off in tests that do not look at it). */
  readonly logToFile?: boolean;
  /** What shutdown may take past SHUTDOWN_TIMEOUT to end stuck work by force (default SHUTDOWN_MARGIN_MS); tests shorten it. */
  readonly shutdownMarginMs?: number;
  /** Whether the database may be written; access(W_OK) by default (root passes it whatever the mode, so tests inject this). */
  readonly databaseAccess?: DatabaseAccess;
}

export interface Core {
  /** The typed API the renderer has, for callers in this process (the CLI, the tests). */
  readonly api: GitbotApi;
  /** What every transport calls: a name and an unchecked argument in, a Result out. */
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly logger: Logger;
  readonly tasks: TaskManager;
  /** The memory monitor: `onPressure` for whoever can give memory back in a cleanup, `watchWorker` for whoever starts threads. */
  readonly monitor: MemoryMonitor;
  readonly options: CoreOptions;
  /** The streamed route's full listing, formatted in a reader thread (search-listing.ts). */
  readonly listSearch: ListingSource;
  /** Graceful shutdown: tasks first, then every resource, all within SHUTDOWN_TIMEOUT plus the margin (SHUTDOWN_MARGIN_MS). */
  shutdown(): Promise<void>;
}

/**
 * The composition root of the services. Everything the transports reach goes through
 * `dispatch`; everything they push comes from `events`. Nothing here imports Electron.
 */
export function createCore(options: CoreOptions): Core {
  const { config, paths } = options;
  const settings = config.values;
  // Every thread's share of MEMORY_THRESHOLD_MB, from one module.
  const budget = memoryBudget(settings);
  const pressure = new PressureFlag();
  // First, before anything holds a resource: a damaged or locked database stops start-up here.
  const prepared = prepareDatabase(paths.dbPath, options.databaseAccess);
  const store = new DisposableStore();
  const events = new EventHub();
  const faults = new FaultRegister();

  const recentLogs = new RingBuffer<LogEntry>(1000);
  const sinks: LogSink[] = [(entry) => recentLogs.push(entry), (entry) => events.emit('log', entry), ...(options.logSinks ?? [])];
  if (options.logToFile !== false) {
    const file = new RotatingFile(paths.logFile, settings.LOG_MAX_BYTES, settings.LOG_FILES);
    store.add(toDisposable(() => file.close()));
    sinks.push((entry) => file.write(formatLogLine(entry)));
  }
  const logger = new SinkLogger(settings.LOG_LEVEL, sinks);
  if (prepared.notice !== null) {
    logger.warn(prepared.notice);
  }
  // Damage (found now or by any later statement) and a read-only file are health faults.
  const integrity = new DatabaseIntegrity(paths.dbPath, prepared.state, (fault) => {
    logger[fault.severity === 'unhealthy' ? 'error' : 'warn'](fault.message);
    // Damage is remembered by the marker (this core's now), so the next start checks again.
    if (fault.severity === 'unhealthy') writeOpenMarker(paths.dbPath);
    faults.report({ source: 'database', ...fault });
  });
  // Disposed after the writer and the readers (added before them): a clean close removes this
  // core's open marker, unless the database is damaged, so the next start checks it again.
  store.add(
    toDisposable(() => {
      if (integrity.state.kind !== 'damaged') removeOpenMarker(paths.dbPath);
    }),
  );
  for (const warning of config.warnings) logger.warn(warning);

  const tasks = new TaskManager({
    logger,
    onChange: (task) => events.emit('task', task),
    maxAgeMs: settings.TASK_MAX_AGE * 1000,
    // A cancelled task gets as long to stop as shutdown gives it, then is ended by force.
    stopGraceMs: settings.SHUTDOWN_TIMEOUT * 1000,
    historyLimit: settings.TASK_HISTORY_LIMIT,
  });
  store.add(
    scheduleMaintenance({
      tasks,
      cleanupIntervalMs: settings.TASK_CLEANUP_INTERVAL * 1000,
      jobs: canCollectGarbage() ? [{ type: 'periodic_gc', intervalMs: settings.GC_INTERVAL * 1000, run: () => periodicGc(collectGarbage, logger) }] : [],
      onOutcome: (job, failure) => {
        const health = periodicHealth(logger, faults, job.type, `Periodic job ${job.type}`, job.intervalMs);
        if (failure === null) health.succeeded();
        else health.failed(failure.error, failure.logged);
      },
    }),
  );
  // The indexer (the one writer) is registered before the pool: the store disposes in
  // reverse, so readers close first and the writer last.
  // Every thread they start is watched: the registry the monitor (made after them, as it reads
  // the pool) samples, so each thread's heap is in the stats and can be snapshotted.
  const workerRegistry = new WorkerRegistry();
  const watchWorker = (name: string, worker: Worker, readHeap?: () => Promise<HeapFigures>) => workerRegistry.watch({ name, worker, ...(readHeap === undefined ? {} : { readHeap }) });
  // The app's own folders, skipped by every walk when they lie inside a repository.
  const appFolders = [dirname(paths.logFile), paths.snapshotsDir];
  const indexer = store.add(
    new Indexer({
      dbPath: paths.dbPath,
      excludedPaths: appFolders,
      integrity,
      config: settings,
      tasks,
      events,
      logger,
      workers: options.workers,
      onWorker: watchWorker,
      pressure: { flag: pressure, heapBytes: budget.indexThreadHeapBytes, minDocumentsPerBatch: budget.minDocumentsPerBatch },
    }),
  );
  const poolUpkeep = periodicHealth(logger, faults, 'database_pool_maintenance', 'Database pool maintenance', poolMaintenanceIntervalMs(poolConfigFrom(settings)));
  const pool: ReaderPool<ReaderOps> = store.add(
    new ReaderPool<ReaderOps>({
      dbPath: paths.dbPath,
      settings,
      workers: options.workers,
      logger,
      onAlert: (alert) => events.emit('alert', alert),
      onWorker: watchWorker,
      memory: budget,
      onMaintenance: (error) => (error === null ? poolUpkeep.succeeded() : poolUpkeep.failed(error)),
    }),
  );
  const poolStatus = () => pool.status();

  const sampling = periodicHealth(logger, faults, 'stats_sampler', 'Memory sampling', settings.STATS_INTERVAL_MS);
  const monitor = store.add(
    new MemoryMonitor({
      intervalMs: settings.STATS_INTERVAL_MS,
      historySeconds: settings.STATS_HISTORY_SECONDS,
      thresholdBytes: budget.thresholdBytes,
      alertBytes: budget.alertBytes,
      leakWindowMs: settings.LEAK_WINDOW_SECONDS * 1000,
      logger,
      onAlert: (alert) => events.emit('alert', alert),
      pool: poolStatus,
      tasks: () => {
        const counts = tasks.counts();
        return { active: counts.active, total: counts.total };
      },
      workers: () => pool.workerMemory(),
      workerRegistry,
      ...(options.processes === undefined ? {} : { processes: options.processes }),
      onSample: (sample) => {
        sampling.succeeded();
        events.emit('stats', sample);
      },
      onSampleError: (error) => sampling.failed(error),
      runTask: (type, work) => tasks.run(type, {}, work).done,
    }),
  );
  monitor.start();
  // A cleanup gives memory back in every thread: index batches shrink until RSS is back
  // under the threshold, the writer collects its heap once its current run ends, the pool
  // closes idle readers and has the others collect theirs; the monitor then collects the main thread's.
  store.add(
    monitor.onPressure(async () => {
      pressure.set(true);
      indexer.releaseMemory();
      const released = await pool.releaseMemory();
      const before = released.readers.reduce((sum, reader) => sum + reader.heapBefore, 0);
      const after = released.readers.reduce((sum, reader) => sum + reader.heapAfter, 0);
      logger.info('Reader pool released memory', { closed_readers: released.closed, readers: released.readers.length, heap_before_mb: toMb(before), heap_after_mb: toMb(after) });
    }),
  );
  store.add(monitor.onRelief(() => pressure.set(false)));

  const nativeOnly = (what: string) => (): never => {
    throw new AppError('unsupported', `${what} needs the desktop app; this dashboard runs in a browser`);
  };

  const openInEditor = options.nativeHandlers?.openInEditor;
  const chooseFolder = options.nativeHandlers?.chooseFolder;
  const pickedFolders = new Set<string>();
  const searches = new SearchChannels();
  const searchBudget = { budgetMs: settings.SEARCH_TIMEOUT_MS, timeoutError: searchTimedOut };
  const handlers: Handlers = {
    getHealth: () => faults.applyTo(buildHealthReport({ sample: monitor.latest(), tasks: tasks.counts(), pool: poolStatus(), thresholdMb: settings.MEMORY_THRESHOLD_MB })),
    getConfig: () => ({ entries: config.entries }),
    getAppInfo: () => ({
      version: options.version,
      runtime: options.runtime,
      dbPath: paths.dbPath,
      dataDir: paths.dataDir,
      homeDir: homedir(),
      canChooseFolder: options.nativeHandlers?.chooseFolder !== undefined,
      canOpenInEditor: options.nativeHandlers?.openInEditor !== undefined,
    }),
    getStatsHistory: ({ seconds }) => monitor.recent(seconds),
    getLogs: ({ limit, level }) => {
      // A level means that level and above, as in LOG_LEVEL.
      const entries = recentLogs.toArray().filter((entry) => level === undefined || levelRank[entry.level] >= levelRank[level]);
      return entries.slice(-(limit ?? 200));
    },
    countFolderFiles: ({ path }, context) =>
      precheckFolder(
        path,
        { limit: settings.INDEX_WARN_FILES, maxFileSize: settings.MAX_FILE_SIZE, ignoreFileMaxBytes: settings.IGNORE_FILE_MAX_BYTES, dbPath: paths.dbPath, excludedPaths: appFolders },
        context?.signal,
      ),
    startIndexing: ({ path }) => indexer.start(path),
    cancelIndexing: ({ taskId }) => ({ cancelled: indexer.cancel(taskId) }),
    removeRepository: ({ repo }) => indexer.remove(repo),
    // Every read goes through integrity: refused once the file is known damaged, and a read that finds damage says so.
    listRepositories: () => integrity.read(() => pool.run('listRepositories', undefined)),
    listSkippedFiles: (arg) => integrity.read(() => pool.run('listSkippedFiles', arg)),
    search: (arg, context) => integrity.read(() => searches.run(arg.channel, context?.signal, (stop) => pool.run('search', arg, { label: 'search', signal: stop, ...searchBudget }))),
    countMatches: (arg, context) => integrity.read(() => searches.run(arg.channel, context?.signal, (stop) => pool.run('countMatches', arg, { label: 'countMatches', signal: stop, ...searchBudget }))),
    readLines: (arg) => integrity.read(() => pool.run('readLines', arg)),
    getPoolStatus: poolStatus,
    listTasks: () => tasks.list(),
    cancelTask: ({ taskId }) => ({ cancelled: tasks.cancel(taskId) }),
    takeHeapSnapshot: ({ target, directory }) => {
      const { taskId, path } = startHeapSnapshot({ target, directory: allowedHeapFolder(directory, paths.snapshotsDir, pickedFolders) }, { tasks, logger, workers: () => monitor.watchedWorkers() });
      return { taskId, path };
    },
    takeHeapProfile: ({ seconds, directory }) => {
      const { taskId, path } = startHeapProfile({ seconds, directory: allowedHeapFolder(directory, paths.snapshotsDir, pickedFolders) }, { tasks, logger });
      return { taskId, path };
    },
    chooseFolder:
      chooseFolder === undefined
        ? nativeOnly('Choosing a folder')
        : async (arg) => {
            const chosen = await chooseFolder(arg);
            // A folder the user picked in the native dialog may receive heap files.
            if (chosen.path !== null) pickedFolders.add(resolve(chosen.path));
            return chosen;
          },
    openInEditor:
      openInEditor === undefined
        ? nativeOnly('Opening a file in the editor')
        : async (arg) => {
            const repositories = await integrity.read(() => pool.run('listRepositories', undefined));
            const path = assertIndexedTextFile(
              arg,
              repositories.map((repository) => repository.root),
              paths.dbPath,
            );
            return openInEditor({ ...arg, path });
          },
  };

  let shuttingDown: Promise<void> | undefined;
  const dispatch = createDispatch(handlers, logger);
  const listSearch: ListingSource = async (arg, limit, signal) => {
    const parsed = requestSchemas.search.safeParse(arg);
    if (!parsed.success) {
      return fail('bad_request', `Invalid argument for search: ${describeIssues(parsed.error)}`);
    }
    const { channel, limit: _pageLimit, ...query } = parsed.data;
    try {
      const run = (stop: AbortSignal) => pool.run('searchListing', { ...query, limit, format: { kind: 'match' } }, { label: 'searchListing', signal: stop, ...searchBudget });
      return ok(await searches.run(channel, signal, run));
    } catch (error) {
      return { ok: false, error: toResultError(error) };
    }
  };

  return {
    api: createApi(inProcessTransport(dispatch, events)),
    dispatch,
    listSearch,
    events,
    logger,
    tasks,
    monitor,
    options,
    shutdown() {
      shuttingDown ??= (async () => {
        // One deadline for every owner: SHUTDOWN_TIMEOUT to stop, then a margin to end by force.
        const marginMs = options.shutdownMarginMs ?? SHUTDOWN_MARGIN_MS;
        const deadline = new ShutdownDeadline(settings.SHUTDOWN_TIMEOUT * 1000, marginMs);
        // Sampling stops first: a sample taken while the tasks stop would ask the closed task
        // manager for a cleanup and log its refusal as a sampling failure.
        monitor.dispose();
        await tasks.shutdown(deadline.untilSoft(), Math.min(FORCE_WAIT_MS, deadline.untilHard()), settings.SHUTDOWN_TIMEOUT * 1000);
        await store.dispose(deadline);
        if (store.overdue > 0) {
          logger.error(`${store.overdue} resource(s) did not close within SHUTDOWN_TIMEOUT plus ${marginMs / 1000} s; left behind`);
        }
      })();
      return shuttingDown;
    },
  };
}
