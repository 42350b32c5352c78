import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors';

/** Creates the folder a snapshot or profile goes into, with errors a user can act on. */
export function prepareDirectory(directory: string): void {
  try {
    mkdirSync(directory, { recursive: true });
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
