import { realpathSync, statSync } from 'node:fs';
import { relative, isAbsolute, sep } from 'node:path';
import { openConnection } from './db/open-connection';
import { FileState } from './index/format';
import { AppError } from './base/errors';

/** What a byte that is not UTF-8 becomes in a name shown as text. */
const LOSSY_CHARACTER = '\uFFFD';

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
    // An editor is started with names as text, and this name stands for bytes that are not UTF-8.
    if (path.includes(LOSSY_CHARACTER)) {
      throw new AppError('bad_request', `Cannot open a file whose name is not valid UTF-8 (shown with \uFFFD): ${path}`);
    }
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

/**
 * Checks that `path` is a file of an indexed repository that the index holds as text (not a
 * skipped binary, an ignored file, a hook under .git or a symlink), and returns its real path.
 * One indexed lookup on a short read-only connection.
 */
export function assertIndexedTextFile(path: string, roots: readonly string[], dbPath: string): string {
  const real = assertIndexedFile(path, roots);
  const root = roots.find((candidate) => isInside(candidate, real)) as string;
  const relativePath = relative(root, real).split(sep).join('/');
  const db = openConnection(dbPath, { mode: 'reader' });
  try {
    const state = db.prepare('SELECT f.state FROM files f JOIN repositories r ON r.id = f.repo_id WHERE r.root = ? AND f.path = ?').pluck().get(root, relativePath) as number | undefined;
    if (state !== FileState.indexed) {
      throw new AppError('bad_request', `Only files the index holds as text can be opened: ${path}`);
    }
  } finally {
    db.close();
  }
  return real;
}
