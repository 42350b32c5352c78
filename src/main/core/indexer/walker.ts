import { lstatSync, opendirSync, readlinkSync, type Dir, type Dirent, type Stats } from 'node:fs';
import type { SkipReason } from '../../../shared/types';
import { IgnoreRules, type IgnoreFileLimits } from './ignore-rules';
import { joinRaw, lossyText, nameOf } from '../files/raw-path';
import { errorCode, specialFileKind, type SpecialFile } from '../files/regular-file';

/**
 * A file the walk found, to index or skip. Paths are relative to the root, '/'-separated.
 * A name that is not UTF-8 has `path` shown lossily (U+FFFD) and its raw bytes in
 * `pathBytes` (null for a UTF-8 path), so two such names stay two files; `absolute` is then bytes too.
 */
export type WalkEntry =
  | { readonly kind: 'file'; readonly path: string; readonly pathBytes: Buffer | null; readonly absolute: string | Buffer; readonly size: number; readonly mtimeMs: number }
  | { readonly kind: 'skip'; readonly path: string; readonly pathBytes: Buffer | null; readonly reason: SkipReason; readonly detail: string | null; readonly size: number; readonly mtimeMs: number };

export interface WalkOptions {
  /** Files larger than this are reported as too_large without being opened. */
  readonly maxFileSize: number;
  /** Absolute paths never reported (the database and its -wal/-shm files). */
  readonly excluded: ReadonlySet<string>;
  /** Folders with more entries than this stream unsorted (default SORTED_FOLDER_MAX). */
  readonly sortedFolderMax?: number;
  /** How ignore files are read (size limit, where warnings go); default IgnoreRules' own. */
  readonly ignoreFiles?: IgnoreFileLimits;
  /** Deepest folder entered (default MAX_WALK_DEPTH); the root is depth 0. */
  readonly maxDepth?: number;
}

/**
 * Folders deeper than this are not entered; the first one below is listed as skipped
 * (`too_deep`). Each level of the walk holds an open folder handle and its listing, so depth
 * is what bounds the walk's descriptors and memory (folders 1,000 deep once killed the writer).
 */
export const MAX_WALK_DEPTH = 256;

/** Folders up to this many entries are walked in name order; larger ones stream unsorted. */
export const SORTED_FOLDER_MAX = 10_000;

interface Folder {
  readonly absolute: string | Buffer;
  readonly relative: string;
  /** The raw bytes of `relative` when a name on the way is not UTF-8, else null. */
  readonly relativeBytes: Buffer | null;
  readonly depth: number;
  readonly rules: IgnoreRules;
}

/**
 * Walks `root` depth-first in sorted order, one folder listing at a time, so memory holds
 * only the listings of the folders on the current path, never the whole tree. Skips `.git`
 * and ignored paths. Opens nothing but folders: symlinks are never followed (as rg and git),
 * so each file is reached by one path only; links, FIFOs, sockets and devices are reported
 * as skipped with what they are. In a folder, names that decode with U+FFFD (not UTF-8)
 * come after the others, sorted among themselves.
 */
export function* walk(rootAbsolute: string, options: WalkOptions): Generator<WalkEntry> {
  yield* walkFolder({ absolute: rootAbsolute, relative: '', relativeBytes: null, depth: 0, rules: IgnoreRules.forRoot(rootAbsolute, options.ignoreFiles) }, options);
}

function* walkFolder(folder: Folder, options: WalkOptions): Generator<WalkEntry> {
  const sortedMax = options.sortedFolderMax ?? SORTED_FOLDER_MAX;
  let directory: Dir;
  try {
    directory = opendirSync(folder.absolute);
  } catch (error) {
    if (folder.relative !== '') {
      yield { kind: 'skip', path: folder.relative, pathBytes: folder.relativeBytes, reason: 'unreadable', detail: errorCode(error), size: 0, mtimeMs: 0 };
    }
    return;
  }
  const lossy = { seen: false };
  try {
    yield* walkEntries(
      folder,
      folderEntries(() => readText(directory, lossy), sortedMax),
      options,
    );
  } finally {
    directory.closeSync();
  }
  if (!lossy.seen) {
    return;
  }
  // A name decoded with U+FFFD may not be UTF-8, and then cannot be opened from its text:
  // such names come in a second listing, as bytes. Listing every folder as bytes cost 1.7 times as long.
  let raw: Dir;
  try {
    raw = opendirSync(folder.absolute, { encoding: 'buffer' as BufferEncoding });
  } catch {
    // Gone since the first listing: the root watch tells a vanished root; a sub-folder's entries are simply not seen.
    return;
  }
  try {
    yield* walkEntries(
      folder,
      folderEntries(() => readLossy(raw), sortedMax),
      options,
    );
  } finally {
    raw.closeSync();
  }
}

/**
 * A listed entry: its name (text when UTF-8, else the raw bytes) and its type when the
 * file system told it.
 */
interface Listed {
  readonly name: string | Buffer;
  /** The name as shown (U+FFFD for each invalid byte), which orders and matches ignore rules. */
  readonly text: string;
  readonly type: EntryType | null;
}

/** The next entry of a text listing whose name has no U+FFFD; one with it is left to the bytes listing. */
function readText(directory: Dir, lossy: { seen: boolean }): Listed | null {
  for (let entry = directory.readSync(); entry !== null; entry = directory.readSync()) {
    if (!entry.name.includes('\uFFFD')) {
      return { name: entry.name, text: entry.name, type: direntType(entry) };
    }
    lossy.seen = true;
  }
  return null;
}

/** The next entry of a bytes listing whose name, decoded, has a U+FFFD: those the text listing left. */
function readLossy(directory: Dir): Listed | null {
  for (let entry = directory.readSync() as Dirent<Buffer> | null; entry !== null; entry = directory.readSync() as Dirent<Buffer> | null) {
    const name = nameOf(entry.name) as string | Buffer;
    const text = lossyText(name);
    if (text.includes('\uFFFD')) {
      return { name, text, type: direntType(entry) };
    }
  }
  return null;
}

function bytesOf(name: string | Buffer): Buffer {
  return typeof name === 'string' ? Buffer.from(name) : name;
}

/** By shown name, then by raw bytes: two names alike once decoded keep one order. */
function compareListed(left: Listed, right: Listed): number {
  if (left.text !== right.text) {
    return left.text < right.text ? -1 : 1;
  }
  return left.text.includes('\uFFFD') ? Buffer.compare(bytesOf(left.name), bytesOf(right.name)) : 0;
}

/**
 * A folder's entries sorted by name, or, for a folder of more than `sortedMax` entries,
 * in the order the system lists them: a whole listing of such a folder would be the writer's
 * largest allocation (300,000 entries took more than 100 MB of heap).
 */
function* folderEntries(read: () => Listed | null, sortedMax: number): Generator<Listed> {
  const head: Listed[] = [];
  for (let entry = read(); entry !== null; entry = read()) {
    if (head.length < sortedMax) {
      head.push(entry);
      continue;
    }
    yield* head.splice(0);
    yield entry;
    for (let rest = read(); rest !== null; rest = read()) {
      yield rest;
    }
    return;
  }
  yield* head.sort(compareListed);
}

function* walkEntries(folder: Folder, entries: Iterable<Listed>, options: WalkOptions): Generator<WalkEntry> {
  for (const { name, text, type: listedType } of entries) {
    if (text === '.git') {
      continue;
    }
    const absolute = joinRaw(folder.absolute, name) as string | Buffer;
    if (typeof absolute === 'string' && options.excluded.has(absolute)) {
      continue;
    }
    const at: Place = { absolute, relative: folder.relative === '' ? text : `${folder.relative}/${text}`, relativeBytes: relativeBytesOf(folder, name) };
    const type = listedType ?? lstatType(absolute);
    if (type === 'directory') {
      if (!folder.rules.ignores(at.relative, true)) {
        yield* enterFolder(folder, at, options);
      }
    } else if (!folder.rules.ignores(at.relative, false)) {
      // git stores a symlink as a link and rg does not follow one: neither do we.
      yield type === 'file' ? fileEntry(at, options) : skipEntry(type, at);
    }
  }
}

/** Where an entry is: its absolute path for the system, its relative path as shown and as bytes. */
interface Place {
  readonly absolute: string | Buffer;
  readonly relative: string;
  readonly relativeBytes: Buffer | null;
}

/** The raw relative path of an entry when it or a folder above it is not UTF-8, else null. */
function relativeBytesOf(folder: Folder, name: string | Buffer): Buffer | null {
  if (folder.relativeBytes === null && typeof name === 'string') {
    return null;
  }
  if (folder.relative === '') {
    return bytesOf(name);
  }
  return Buffer.concat([folder.relativeBytes ?? Buffer.from(folder.relative), Buffer.from('/'), bytesOf(name)]);
}

type EntryType = 'file' | 'directory' | 'symlink' | SpecialFile | 'gone';

/** What a folder entry is, without following it, when the file system did not say in the listing. */
function lstatType(absolute: string | Buffer): EntryType {
  try {
    return direntType(lstatSync(absolute)) ?? 'gone';
  } catch {
    return 'gone';
  }
}

function direntType(entry: Dirent<string | Buffer> | Stats): EntryType | null {
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

function skipEntry(type: Exclude<EntryType, 'file' | 'directory'>, at: Place): WalkEntry {
  const skip = { kind: 'skip', path: at.relative, pathBytes: at.relativeBytes, size: 0, mtimeMs: 0 } as const;
  if (type === 'symlink') {
    return { ...skip, reason: 'symlink', detail: symlinkDetail(at.absolute) };
  }
  if (type === 'gone') {
    return { ...skip, reason: 'unreadable', detail: 'ENOENT' };
  }
  return { ...skip, reason: 'special_file', detail: type };
}

/** The link's target as written (`-> target`), as `ls -l` shows it. */
function symlinkDetail(absolute: string | Buffer): string {
  try {
    return `-> ${readlinkSync(absolute)}`;
  } catch (error) {
    return errorCode(error);
  }
}

function* enterFolder(parent: Folder, at: Place, options: WalkOptions): Generator<WalkEntry> {
  const maxDepth = options.maxDepth ?? MAX_WALK_DEPTH;
  if (parent.depth + 1 > maxDepth) {
    yield { kind: 'skip', path: at.relative, pathBytes: at.relativeBytes, reason: 'too_deep', detail: `deeper than ${maxDepth} folders`, size: 0, mtimeMs: 0 };
    return;
  }
  const rules = parent.rules.descend(at.absolute, at.relative);
  yield* walkFolder({ absolute: at.absolute, relative: at.relative, relativeBytes: at.relativeBytes, depth: parent.depth + 1, rules }, options);
}

function fileEntry(at: Place, options: WalkOptions): WalkEntry {
  let stats: Stats;
  try {
    // lstat: the entry may have been replaced by a link or a FIFO since it was listed.
    stats = lstatSync(at.absolute);
  } catch (error) {
    return { kind: 'skip', path: at.relative, pathBytes: at.relativeBytes, reason: 'unreadable', detail: errorCode(error), size: 0, mtimeMs: 0 };
  }
  if (!stats.isFile()) {
    const type = direntType(stats);
    return skipEntry(type === null || type === 'file' || type === 'directory' ? 'gone' : type, at);
  }
  const size = stats.size;
  const mtimeMs = Math.trunc(stats.mtimeMs);
  if (size > options.maxFileSize) {
    return { kind: 'skip', path: at.relative, pathBytes: at.relativeBytes, reason: 'too_large', detail: `${size} bytes`, size, mtimeMs };
  }
  return { kind: 'file', path: at.relative, pathBytes: at.relativeBytes, absolute: at.absolute, size, mtimeMs };
}
