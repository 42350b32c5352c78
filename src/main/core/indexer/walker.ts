import { lstatSync, opendirSync, readlinkSync, type Dir, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { SkipReason } from '../../../shared/types';
import { IgnoreRules, type IgnoreFileLimits } from './ignore-rules';
import { errorCode, specialFileKind, type SpecialFile } from '../files/regular-file';

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
  /** How ignore files are read (size limit, where warnings go); default IgnoreRules' own. */
  readonly ignoreFiles?: IgnoreFileLimits;
}

/** Folders up to this many entries are walked in name order; larger ones stream unsorted. */
export const SORTED_FOLDER_MAX = 10_000;

interface Folder {
  readonly absolute: string;
  readonly relative: string;
  readonly rules: IgnoreRules;
}

/**
 * Walks `root` depth-first in sorted order, one folder listing at a time, so memory holds
 * only the listings of the folders on the current path, never the whole tree. Skips `.git`
 * and ignored paths. Opens nothing but folders: symlinks are never followed (as rg and git),
 * so each file is reached by one path only; links, FIFOs, sockets and devices are reported
 * as skipped with what they are.
 */
export function* walk(rootAbsolute: string, options: WalkOptions): Generator<WalkEntry> {
  yield* walkFolder({ absolute: rootAbsolute, relative: '', rules: IgnoreRules.forRoot(rootAbsolute, options.ignoreFiles) }, options);
}

function* walkFolder(folder: Folder, options: WalkOptions): Generator<WalkEntry> {
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
    yield* walkEntries(folder, folderEntries(directory, options.sortedFolderMax ?? SORTED_FOLDER_MAX), options);
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

function* walkEntries(folder: Folder, entries: Iterable<Dirent>, options: WalkOptions): Generator<WalkEntry> {
  for (const entry of entries) {
    if (entry.name === '.git') {
      continue;
    }
    const absolute = join(folder.absolute, entry.name);
    const relative = folder.relative === '' ? entry.name : `${folder.relative}/${entry.name}`;
    if (options.excluded.has(absolute)) {
      continue;
    }
    const type = entryType(entry, absolute);
    if (type === 'directory') {
      if (!folder.rules.ignores(relative, true)) {
        yield* enterFolder(folder, absolute, relative, options);
      }
    } else if (!folder.rules.ignores(relative, false)) {
      // git stores a symlink as a link and rg does not follow one: neither do we.
      yield type === 'file' ? fileEntry(absolute, relative, options) : skipEntry(type, absolute, relative);
    }
  }
}

type EntryType = 'file' | 'directory' | 'symlink' | SpecialFile | 'gone';

/** What a folder entry is, without following it (lstat when the file system does not say). */
function entryType(entry: Dirent, absolute: string): EntryType {
  const known = direntType(entry);
  if (known !== null) {
    return known;
  }
  try {
    return direntType(lstatSync(absolute)) ?? 'gone';
  } catch {
    return 'gone';
  }
}

function direntType(entry: Dirent | Stats): EntryType | null {
  if (entry.isSymbolicLink()) {
    return 'symlink';
  }
  if (entry.isDirectory()) {
    return 'directory';
  }
  if (entry.isFile()) {
    return 'file';
  }
  return specialFileKind(entry);
}

function skipEntry(type: Exclude<EntryType, 'file' | 'directory'>, absolute: string, relative: string): WalkEntry {
  if (type === 'symlink') {
    return { kind: 'skip', path: relative, reason: 'symlink', detail: symlinkDetail(absolute), size: 0, mtimeMs: 0 };
  }
  if (type === 'gone') {
    return { kind: 'skip', path: relative, reason: 'unreadable', detail: 'ENOENT', size: 0, mtimeMs: 0 };
  }
  return { kind: 'skip', path: relative, reason: 'special_file', detail: type, size: 0, mtimeMs: 0 };
}

/** The link's target as written (`-> target`), as `ls -l` shows it. */
function symlinkDetail(absolute: string): string {
  try {
    return `-> ${readlinkSync(absolute)}`;
  } catch (error) {
    return errorCode(error);
  }
}

function* enterFolder(parent: Folder, absolute: string, relative: string, options: WalkOptions): Generator<WalkEntry> {
  const rules = parent.rules.descend(absolute, relative);
  yield* walkFolder({ absolute, relative, rules }, options);
}

function fileEntry(absolute: string, relative: string, options: WalkOptions): WalkEntry {
  let stats: Stats;
  try {
    // lstat: the entry may have been replaced by a link or a FIFO since it was listed.
    stats = lstatSync(absolute);
  } catch (error) {
    return { kind: 'skip', path: relative, reason: 'unreadable', detail: errorCode(error), size: 0, mtimeMs: 0 };
  }
  if (!stats.isFile()) {
    const type = direntType(stats);
    return skipEntry(type === null || type === 'file' || type === 'directory' ? 'gone' : type, absolute, relative);
  }
  const size = stats.size;
  const mtimeMs = Math.trunc(stats.mtimeMs);
  if (size > options.maxFileSize) {
    return { kind: 'skip', path: relative, reason: 'too_large', detail: `${size} bytes`, size, mtimeMs };
  }
  return { kind: 'file', path: relative, absolute, size, mtimeMs };
}
