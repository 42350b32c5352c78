import { realpathSync, statSync } from 'node:fs';
import { relative, isAbsolute, sep } from 'node:path';
import { AppError } from './errors';

/**
 * Checks that `path` is a regular file inside one of the indexed repository roots (real paths,
 * symlinks resolved), so a request to open a search result cannot be turned into "open or run
 * any file on this machine".
 */
export function assertIndexedFile(path: string, roots: readonly string[]): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new AppError('not_found', `File not found: ${path}`);
  }
  if (!roots.some((root) => isInside(root, real))) {
    throw new AppError('bad_request', `Only files of an indexed repository can be opened: ${path}`);
  }
  if (!statSync(real).isFile()) {
    throw new AppError('bad_request', `Not a file: ${path}`);
  }
  return real;
}

function isInside(root: string, path: string): boolean {
  const rest = relative(root, path);
  return rest !== '' && rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest);
}
