import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs';
import type { SkipReason } from '../../../shared/types';
import type { RawPath } from './raw-path';

/** What a path is when it is neither a file, a folder nor a symlink. */
export type SpecialFile = 'FIFO' | 'socket' | 'character device' | 'block device';

/** The kind of a special file, or null for a file, folder, symlink or unknown entry. */
export function specialFileKind(entry: Pick<Stats, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): SpecialFile | null {
  if (entry.isFIFO()) {
    return 'FIFO';
  }
  if (entry.isSocket()) {
    return 'socket';
  }
  if (entry.isCharacterDevice()) {
    return 'character device';
  }
  if (entry.isBlockDevice()) {
    return 'block device';
  }
  return null;
}

export type OpenOutcome = { readonly ok: true; readonly fd: number; readonly stats: Stats } | { readonly ok: false; readonly reason: SkipReason; readonly detail: string };

/**
 * Flags that make opening anything but a regular file harmless: a symlink fails (ELOOP)
 * instead of being followed, and a FIFO opens at once instead of blocking until a writer
 * comes. Non-blocking has no effect on reading a regular file. Windows has neither flag,
 * and no FIFOs a path can name.
 */
const SAFE_OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Opens `path` for reading only if it is a regular file (checked on the open descriptor, so
 * a swap between a check and the open cannot make us read a FIFO or a device). A symlink is
 * refused unless `followSymlinks` (a user's own `.env` may be one). The caller closes the
 * descriptor.
 */
export function openRegularFile(path: RawPath, options: { readonly followSymlinks?: boolean } = {}): OpenOutcome {
  let fd: number;
  try {
    fd = openSync(typeof path === 'string' ? path : Buffer.from(path.buffer, path.byteOffset, path.byteLength), SAFE_OPEN_FLAGS | (options.followSymlinks === true ? 0 : NO_FOLLOW));
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ELOOP') {
      return { ok: false, reason: 'symlink', detail: 'a symlink is not followed' };
    }
    return { ok: false, reason: 'unreadable', detail: code };
  }
  let stats: Stats;
  try {
    stats = fstatSync(fd);
  } catch (error) {
    closeSync(fd);
    return { ok: false, reason: 'unreadable', detail: errorCode(error) };
  }
  if (stats.isFile()) {
    return { ok: true, fd, stats };
  }
  closeSync(fd);
  const kind = specialFileKind(stats);
  return kind === null ? { ok: false, reason: 'unreadable', detail: stats.isDirectory() ? 'EISDIR' : 'not a file' } : { ok: false, reason: 'special_file', detail: kind };
}

/** The error's code (ENOENT, EACCES…), or its text when it has none. */
export function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : String(error);
}
