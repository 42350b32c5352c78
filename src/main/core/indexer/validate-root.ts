import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../base/errors';

/**
 * Checks a folder the user asked to index and returns its real path, the repository's key.
 * Every refusal is an AppError with the message every surface shows.
 */
export function validateRoot(path: string): string {
  if (!isAbsolute(path)) {
    throw new AppError('invalid_path', `Path must be absolute: ${path}`);
  }
  const requested = resolve(path);
  let real: string;
  try {
    real = realpathSync(requested);
    if (!statSync(real).isDirectory()) {
      throw new AppError('not_a_directory', `Not a folder: ${requested}`);
    }
    accessSync(real, constants.R_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof AppError) {
      throw error;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new AppError('not_found', `Folder not found: ${requested}`);
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new AppError('permission_denied', `Permission denied: ${requested}`);
    }
    throw new AppError('invalid_path', `Cannot read ${requested}: ${code ?? String(error)}`);
  }
  // Any database location works: the walk skips the database's own files when they lie inside.
  return real;
}

/**
 * The key a repository is stored under (its real path at indexing time) for a path the user
 * names, even when the folder is gone: the nearest existing ancestor is resolved, the rest kept.
 */
export function repositoryKey(path: string): string {
  const requested = resolve(path);
  let existing = requested;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(existing), ...rest);
    } catch {
      const parent = dirname(existing);
      if (parent === existing) {
        return requested;
      }
      rest.unshift(basename(existing));
      existing = parent;
    }
  }
}
