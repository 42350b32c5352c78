import { opendirSync, realpathSync, statSync, type Dir, type Dirent } from 'node:fs';
import { join, sep } from 'node:path';
import type { SkipReason } from '../../../shared/types';
import { IgnoreRules } from './ignore-rules';

/** A file the walk found, to index or skip. Paths are relative to the root, '/'-separated. */
export type WalkEntry =
  | { readonly kind: 'file'; readonly path: string; readonly absolute: string; readonly size: number; readonly mtimeMs: number }
  | { readonly kind: 'skip'; readonly path: string; readonly reason: SkipReason; readonly detail: string | null; readonly size: number; readonly mtimeMs: number };

export interface WalkOptions {
  /** Files larger than this are reported as too_large without being opened. */
  readonly maxFileSize: number;
  /** Absolute paths never reported (the database and its -wal/-shm files). */
  readonly excluded: ReadonlySet<string>;
  /** Folders with more entries than this stream unsorted (default SORTED_FOLDER_MAX). */
  readonly sortedFolderMax?: number;
}

/** Folders up to this many entries are walked in name order; larger ones stream unsorted. */
export const SORTED_FOLDER_MAX = 10_000;

interface Folder {
  readonly absolute: string;
  readonly relative: string;
  /** Real paths of this folder and its ancestors, to detect symlink loops. */
  readonly realChain: readonly string[];
  readonly rules: IgnoreRules;
}

/**
 * Walks `root` depth-first in sorted order, one folder listing at a time, so memory holds
 * only the listings of the folders on the current path, never the whole tree. Skips `.git`
 * and ignored paths; follows symlinks only to targets inside the root, never in a loop.
 */
export function* walk(rootAbsolute: string, options: WalkOptions): Generator<WalkEntry> {
  const rootReal = realpathSync(rootAbsolute);
  yield* walkFolder({ absolute: rootAbsolute, relative: '', realChain: [rootReal], rules: IgnoreRules.forRoot(rootAbsolute) }, rootReal, options);
}

function* walkFolder(folder: Folder, rootReal: string, options: WalkOptions): Generator<WalkEntry> {
  let directory: Dir;
  try {
    directory = opendirSync(folder.absolute);
  } catch (error) {
    if (folder.relative !== '') {
      yield { kind: 'skip', path: folder.relative, reason: 'unreadable', detail: errorCode(error), size: 0, mtimeMs: 0 };
    }
    return;
  }
  try {
    yield* walkEntries(folder, folderEntries(directory, options.sortedFolderMax ?? SORTED_FOLDER_MAX), rootReal, options);
  } finally {
    directory.closeSync();
  }
}

/**
 * A folder's entries sorted by name, or, for a folder of more than `sortedMax` entries,
 * in the order the system lists them: a whole listing of such a folder would be the writer's
 * largest allocation (300,000 entries took more than 100 MB of heap).
 */
function* folderEntries(directory: Dir, sortedMax: number): Generator<Dirent> {
  const head: Dirent[] = [];
  for (let entry = directory.readSync(); entry !== null; entry = directory.readSync()) {
    if (head.length < sortedMax) {
      head.push(entry);
      continue;
    }
    yield* head.splice(0);
    yield entry;
    for (let rest = directory.readSync(); rest !== null; rest = directory.readSync()) {
      yield rest;
    }
    return;
  }
  yield* head.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
}

function* walkEntries(folder: Folder, entries: Iterable<Dirent>, rootReal: string, options: WalkOptions): Generator<WalkEntry> {
  for (const entry of entries) {
    if (entry.name === '.git') {
      continue;
    }
    const absolute = join(folder.absolute, entry.name);
    const relative = folder.relative === '' ? entry.name : `${folder.relative}/${entry.name}`;
    if (options.excluded.has(absolute)) {
      continue;
    }
    if (entry.isSymbolicLink()) {
      yield* walkSymlink(folder, absolute, relative, rootReal, options);
    } else if (entry.isDirectory()) {
      if (!folder.rules.ignores(relative, true)) {
        yield* enterFolder(folder, absolute, relative, join(folder.realChain[folder.realChain.length - 1] as string, entry.name), rootReal, options);
      }
    } else if (entry.isFile()) {
      if (!folder.rules.ignores(relative, false)) {
        yield fileEntry(absolute, relative, options);
      }
    }
    // Sockets, FIFOs and devices hold no text to search.
  }
}

function* enterFolder(parent: Folder, absolute: string, relative: string, real: string, rootReal: string, options: WalkOptions): Generator<WalkEntry> {
  const rules = parent.rules.descend(absolute, relative);
  yield* walkFolder({ absolute, relative, realChain: [...parent.realChain, real], rules }, rootReal, options);
}

function* walkSymlink(folder: Folder, absolute: string, relative: string, rootReal: string, options: WalkOptions): Generator<WalkEntry> {
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch (error) {
    const code = errorCode(error);
    const reason: SkipReason = code === 'ELOOP' ? 'symlink_loop' : 'broken_symlink';
    if (!folder.rules.ignores(relative, false)) {
      yield { kind: 'skip', path: relative, reason, detail: code, size: 0, mtimeMs: 0 };
    }
    return;
  }
  let isDirectory: boolean;
  try {
    isDirectory = statSync(real).isDirectory();
  } catch (error) {
    yield { kind: 'skip', path: relative, reason: 'broken_symlink', detail: errorCode(error), size: 0, mtimeMs: 0 };
    return;
  }
  if (folder.rules.ignores(relative, isDirectory)) {
    return;
  }
  if (real !== rootReal && !real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep)) {
    yield { kind: 'skip', path: relative, reason: 'symlink_outside', detail: real, size: 0, mtimeMs: 0 };
    return;
  }
  if (isDirectory) {
    if (folder.realChain.includes(real)) {
      yield { kind: 'skip', path: relative, reason: 'symlink_loop', detail: real, size: 0, mtimeMs: 0 };
      return;
    }
    yield* enterFolder(folder, absolute, relative, real, rootReal, options);
    return;
  }
  if (options.excluded.has(real)) {
    return;
  }
  yield fileEntry(absolute, relative, options);
}

function fileEntry(absolute: string, relative: string, options: WalkOptions): WalkEntry {
  let size: number;
  let mtimeMs: number;
  try {
    const stats = statSync(absolute);
    size = stats.size;
    mtimeMs = Math.trunc(stats.mtimeMs);
  } catch (error) {
    return { kind: 'skip', path: relative, reason: 'unreadable', detail: errorCode(error), size: 0, mtimeMs: 0 };
  }
  if (size > options.maxFileSize) {
    return { kind: 'skip', path: relative, reason: 'too_large', detail: `${size} bytes`, size, mtimeMs };
  }
  return { kind: 'file', path: relative, absolute, size, mtimeMs };
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : String(error);
}
