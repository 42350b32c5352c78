import { join } from 'node:path';

/** The worker-thread entry points the core starts. */
export type WorkerName = 'indexer-worker' | 'index-reader-worker' | 'reader-worker' | 'listing-worker';

export interface WorkerEntry {
  readonly filename: string;
  readonly execArgv: readonly string[];
}

/**
 * Where a worker's code lives depends on how the core runs: bundled by electron-vite it
 * sits next to the bundle; run from source (tests, tsx) it is a .ts file loaded through
 * tsx. The composition root picks one, so the core never guesses.
 */
export type WorkerLocator = (name: WorkerName) => WorkerEntry;

export function bundledWorkers(bundleDir: string): WorkerLocator {
  return (name) => ({ filename: join(bundleDir, `${name}.js`), execArgv: [] });
}

const sourceFiles: Readonly<Record<WorkerName, string>> = {
  'indexer-worker': 'indexer/indexer-worker.ts',
  'index-reader-worker': 'indexer/index-reader-worker.ts',
  'reader-worker': 'query/reader-worker.ts',
  'listing-worker': 'query/listing-worker.ts',
};

export function sourceWorkers(coreDir: string): WorkerLocator {
  return (name) => ({ filename: join(coreDir, sourceFiles[name]), execArgv: ['--require', 'tsx/cjs'] });
}
