import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FolderCount } from '../../../shared/types';
import { validateRoot } from '../indexer/validate-root';
import { walkExclusions } from '../indexer/walk-exclusions';
import { walk, type WalkOptions } from '../indexer/walker';

/** The whole count stops after this long: a folder that cannot be counted in it is large (or slow) either way. */
export const COUNT_BUDGET_MS = 3000;
/** The count gives the event loop back this often, so requests and stats go on while it runs. */
export const COUNT_SLICE_MS = 10;

export interface CountOptions extends WalkOptions {
  /** Counting stops at `limit + 1` files: enough to say "more than limit". */
  readonly limit: number;
  readonly budgetMs?: number;
  readonly sliceMs?: number;
  /** Aborts when the client went away. */
  readonly signal?: AbortSignal | undefined;
  /** The clock (tests pass a fake one). */
  readonly now?: () => number;
}

/**
 * Counts the files an index run of `root` would read, with the walk's own skips (.git,
 * ignore files, links, files over MAX_FILE_SIZE, the database): the same walker, so the
 * count cannot disagree with the run. Bounded three ways: it stops at `limit + 1` files, after
 * `budgetMs`, and it yields to the event loop every `sliceMs` (the walk itself holds only the
 * listings of the folders on its current path).
 */
export async function countFolderFiles(root: string, options: CountOptions): Promise<Omit<FolderCount, 'root'>> {
  const now = options.now ?? (() => performance.now());
  const budgetMs = options.budgetMs ?? COUNT_BUDGET_MS;
  const sliceMs = options.sliceMs ?? COUNT_SLICE_MS;
  const started = now();
  const entries = walk(root, options);
  let files = 0;
  let sliceStarted = started;
  try {
    for (let entry = entries.next(); !entry.done; entry = entries.next()) {
      if (entry.value.kind === 'file') {
        files += 1;
        if (files > options.limit) {
          return { files, limit: options.limit, stoppedBy: 'limit', elapsedMs: now() - started };
        }
      }
      const time = now();
      if (time - started >= budgetMs) {
        return { files, limit: options.limit, stoppedBy: 'time', elapsedMs: time - started };
      }
      if (time - sliceStarted >= sliceMs) {
        await nextTurn();
        options.signal?.throwIfAborted();
        sliceStarted = now();
      }
    }
  } finally {
    // Closes the folder handles of a walk stopped early.
    entries.return(undefined);
  }
  return { files, limit: options.limit, stoppedBy: 'end', elapsedMs: now() - started };
}

export interface PrecheckSettings {
  /** INDEX_WARN_FILES; 0 means do not count. */
  readonly limit: number;
  readonly maxFileSize: number;
  readonly ignoreFileMaxBytes: number;
  /** The database file and the app's folders: not counted, as the run skips them (walk-exclusions.ts). */
  readonly dbPath: string;
  readonly excludedPaths?: readonly string[];
}

/** The countFolderFiles request: the folder checked as startIndexing checks it, then counted within budget. */
export async function precheckFolder(path: string, settings: PrecheckSettings, signal?: AbortSignal): Promise<FolderCount> {
  const root = validateRoot(path);
  if (settings.limit === 0) {
    return { root, files: 0, limit: 0, stoppedBy: 'off', elapsedMs: 0 };
  }
  const excluded = new Set(walkExclusions(settings.dbPath, settings.excludedPaths));
  const ignoreFiles = { maxBytes: settings.ignoreFileMaxBytes, onWarning: () => {} };
  return { root, ...(await countFolderFiles(root, { limit: settings.limit, maxFileSize: settings.maxFileSize, excluded, ignoreFiles, signal })) };
}
