import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
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
}

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
  let entries: Dirent[];
  try {
    entries = readdirSync(folder.absolute, { withFileTypes: true });
  } catch (error) {
    if (folder.relative !== '') {
      yield { kind: 'skip', path: folder.relative, reason: 'unreadable', detail: errorCode(error), size: 0, mtimeMs: 0 };
    }
    return;
  }
  entries.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
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
