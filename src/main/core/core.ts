import type { Worker } from 'node:worker_threads';
import type { ProcessMemory } from '../../shared/types';
import type { LoadedConfig } from './config/load-config';
import { AppError } from './errors';
import { EventHub } from './events';
import { buildHealthReport } from './health/health-report';
import { DisposableStore, toDisposable } from './lifecycle';
import { formatLogLine, levelRank, SinkLogger, type Logger, type LogSink } from './log/logger';
import { RingBuffer } from './log/ring-buffer';
import { RotatingFile } from './log/rotating-file';
import { canCollectGarbage, collectGarbage } from './monitor/gc';
import { startHeapProfile } from './monitor/heap-profile';
import { startHeapSnapshot } from './monitor/heap-snapshot';
import { MemoryMonitor } from './monitor/memory-monitor';
import type { HeapFigures } from './monitor/worker-heaps';
import { alertLevelBytes } from './monitor/process-memory';
import type { AppPaths } from './paths';
import { prepareDatabase } from './db/prepare-database';
import { ReaderPool } from './db/pool';
import { Indexer } from './indexer/indexer';
import { assertIndexedFile } from './indexed-file';
import { createDispatch, type Dispatch, type Handlers } from './router';
import { SearchChannels } from './search-channels';
import { searchTimedOut } from './search/search-control';
import { scheduleMaintenance } from './tasks/maintenance';
import { TaskManager } from './tasks/task-manager';
import type { WorkerLocator } from './workers';
import type { LogEntry } from '../../shared/types';

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
}

export interface Core {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly logger: Logger;
  readonly tasks: TaskManager;
  /** The memory monitor: `onPressure` for whoever can shrink, `watchWorker` for whoever starts threads. */
  readonly monitor: MemoryMonitor;
  readonly options: CoreOptions;
  /** Graceful shutdown: tasks first (bounded by SHUTDOWN_TIMEOUT), then every resource. */
  shutdown(): Promise<void>;
}

/**
 * The composition root of the services. Everything the transports reach goes through
 * `dispatch`; everything they push comes from `events`. Nothing here imports Electron.
 */
export function createCore(options: CoreOptions): Core {
  const { config, paths } = options;
  const settings = config.values;
  // First, before anything holds a resource: a damaged or locked database stops start-up here.
  prepareDatabase(paths.dbPath);
  const store = new DisposableStore();
  const events = new EventHub();

  const recentLogs = new RingBuffer<LogEntry>(1000);
  const sinks: LogSink[] = [(entry) => recentLogs.push(entry), (entry) => events.emit('log', entry), ...(options.logSinks ?? [])];
  if (options.logToFile !== false) {
    const file = new RotatingFile(paths.logFile, settings.LOG_MAX_BYTES, settings.LOG_FILES);
    store.add(toDisposable(() => file.close()));
    sinks.push((entry) => file.write(formatLogLine(entry)));
  }
  const logger = new SinkLogger(settings.LOG_LEVEL, sinks);

  const tasks = new TaskManager({
    logger,
    onChange: (task) => events.emit('task', task),
    maxAgeMs: settings.TASK_MAX_AGE * 1000,
    historyLimit: settings.TASK_HISTORY_LIMIT,
  });
  store.add(
    scheduleMaintenance({
      tasks,
      logger,
      cleanupIntervalMs: settings.TASK_CLEANUP_INTERVAL * 1000,
      gcIntervalMs: settings.GC_INTERVAL * 1000,
      ...(canCollectGarbage() ? { collectGarbage } : {}),
    }),
  );
  // The indexer (the one writer) is registered before the pool: the store disposes in
  // reverse, so readers close first and the writer last.
  // Every thread they start is watched by the monitor: its heap in the stats, snapshots on demand.
  const watchWorker = (name: string, worker: Worker, readHeap?: () => Promise<HeapFigures>) => monitor.watchWorker({ name, worker, ...(readHeap === undefined ? {} : { readHeap }) });
  const indexer = store.add(new Indexer({ dbPath: paths.dbPath, config: settings, tasks, events, logger, workers: options.workers, onWorker: watchWorker }));
  const pool: ReaderPool = store.add(
    new ReaderPool({ dbPath: paths.dbPath, settings, workers: options.workers, logger, onAlert: (alert) => events.emit('alert', alert), onWorker: watchWorker }),
  );
  const poolStatus = () => pool.status();

  const monitor = store.add(
    new MemoryMonitor({
      intervalMs: settings.STATS_INTERVAL_MS,
      historySeconds: settings.STATS_HISTORY_SECONDS,
      thresholdBytes: settings.MEMORY_THRESHOLD_MB * 1024 * 1024,
      alertBytes: alertLevelBytes(settings.MEMORY_LIMIT_MB, settings.ALERT_PERCENT),
      leakWindowMs: settings.LEAK_WINDOW_SECONDS * 1000,
      logger,
      onAlert: (alert) => events.emit('alert', alert),
      pool: poolStatus,
      tasks: () => {
        const counts = tasks.counts();
        return { active: counts.active, total: counts.total };
      },
      workers: () => pool.workerMemory(),
      ...(options.processes === undefined ? {} : { processes: options.processes }),
      onSample: (sample) => events.emit('stats', sample),
      runTask: (type, work) => tasks.run(type, {}, work).done,
    }),
  );
  monitor.start();
  store.add(monitor.onPressure(() => pool.clearCaches()));

  const nativeOnly = (what: string) => (): never => {
    throw new AppError('unsupported', `${what} needs the desktop app; this dashboard runs in a browser`);
  };

  const openInEditor = options.nativeHandlers?.openInEditor;
  const searches = new SearchChannels();
  const searchBudget = { budgetMs: settings.SEARCH_TIMEOUT_MS, timeoutError: searchTimedOut };
  const handlers: Handlers = {
    getHealth: () => buildHealthReport({ sample: monitor.latest(), tasks: tasks.counts(), pool: poolStatus(), thresholdMb: settings.MEMORY_THRESHOLD_MB }),
    getConfig: () => ({ entries: config.entries }),
    getAppInfo: () => ({
      version: options.version,
      runtime: options.runtime,
      dbPath: paths.dbPath,
      dataDir: paths.dataDir,
      canChooseFolder: options.nativeHandlers?.chooseFolder !== undefined,
      canOpenInEditor: options.nativeHandlers?.openInEditor !== undefined,
    }),
    getStatsHistory: ({ seconds }) => monitor.recent(seconds),
    getLogs: ({ limit, level }) => {
      // A level means that level and above, as in LOG_LEVEL.
      const entries = recentLogs.toArray().filter((entry) => level === undefined || levelRank[entry.level] >= levelRank[level]);
      return entries.slice(-(limit ?? 200));
    },
    startIndexing: ({ path }) => indexer.start(path),
    cancelIndexing: ({ taskId }) => ({ cancelled: indexer.cancel(taskId) }),
    listRepositories: () => pool.run('listRepositories', undefined),
    listSkippedFiles: (arg) => pool.run('listSkippedFiles', arg),
    search: (arg, context) => searches.run(arg.channel, context?.signal, (stop) => pool.run('search', arg, { label: 'search', signal: stop, ...searchBudget })),
    countMatches: (arg, context) => searches.run(arg.channel, context?.signal, (stop) => pool.run('countMatches', arg, { label: 'countMatches', signal: stop, ...searchBudget })),
    getPoolStatus: poolStatus,
    listTasks: () => tasks.list(),
    cancelTask: ({ taskId }) => ({ cancelled: tasks.cancel(taskId) }),
    takeHeapSnapshot: ({ target, directory }) => {
      const { taskId, path } = startHeapSnapshot(
        { target, directory: directory ?? paths.snapshotsDir },
        { tasks, logger, workers: () => monitor.watchedWorkers() },
      );
      return { taskId, path };
    },
    takeHeapProfile: ({ seconds, directory }) => {
      const { taskId, path } = startHeapProfile({ seconds, directory: directory ?? paths.snapshotsDir }, { tasks, logger });
      return { taskId, path };
    },
    chooseFolder: options.nativeHandlers?.chooseFolder ?? nativeOnly('Choosing a folder'),
    openInEditor: openInEditor === undefined
      ? nativeOnly('Opening a file in the editor')
      : async (arg) => {
          const repositories = await pool.run('listRepositories', undefined);
          const path = assertIndexedFile(arg.path, repositories.map((repository) => repository.root));
          return openInEditor({ ...arg, path });
        },
  };

  let shuttingDown: Promise<void> | undefined;
  return {
    dispatch: createDispatch(handlers, logger),
    events,
    logger,
    tasks,
    monitor,
    options,
    shutdown() {
      shuttingDown ??= (async () => {
        await tasks.shutdown(settings.SHUTDOWN_TIMEOUT * 1000);
        await store.dispose();
      })();
      return shuttingDown;
    },
  };
}
