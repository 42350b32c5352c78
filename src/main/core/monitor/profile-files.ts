import { mkdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { AppError } from '../base/errors';

/** Heap files hold every string of the process, the API token among them: owner only. */
export const HEAP_FILE_MODE = 0o600;

/**
 * The folder a heap snapshot or profile may be written to: the data folder's snapshots
 * directory (or below it), or a folder the user picked in the native dialog this session.
 * Anything else a caller names is refused, so no request can drop the process's memory,
 * token included, into a folder others can read.
 */
export function allowedHeapFolder(requested: string | undefined, snapshotsDir: string, picked: ReadonlySet<string>): string {
  if (requested === undefined) {
    return snapshotsDir;
  }
  const folder = resolve(requested);
  const below = relative(resolve(snapshotsDir), folder);
  if (picked.has(folder) || below === '' || (!below.startsWith('..') && !isAbsolute(below))) {
    return folder;
  }
  throw new AppError('bad_request', `Heap files are written only to ${snapshotsDir} or a folder picked in the folder dialog, not ${folder}`);
}

/** Creates the folder a snapshot or profile goes into, with errors a user can act on. */
export function prepareDirectory(directory: string): void {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new AppError('not_a_directory', `${directory} is not a folder`);
    }
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new AppError('permission_denied', `Cannot write to ${directory}: permission denied`);
    }
    throw error;
  }
  if (!statSync(directory).isDirectory()) {
    throw new AppError('not_a_directory', `${directory} is not a folder`);
  }
}

/** `<prefix>-2024-05-01T10-20-30-123Z.<extension>`: sortable, unique per millisecond, valid on every OS. */
export function timestampedPath(directory: string, prefix: string, extension: string, time = new Date()): string {
  return join(directory, `${prefix}-${time.toISOString().replace(/[:.]/g, '-')}.${extension}`);
}
