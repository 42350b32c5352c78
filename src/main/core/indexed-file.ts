import { isUtf8 } from 'node:buffer';
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

/** A file to open: its absolute path as shown, and the search result's raw name bytes (base64) when that name is not UTF-8. */
export interface FileToOpen {
  readonly path: string;
  readonly pathBytes?: string | undefined;
}

/**
 * Checks that `path` is a file of an indexed repository that the index holds as text (not a
 * skipped binary, an ignored file, a hook under .git or a symlink), and returns its real path.
 * One indexed lookup on a short read-only connection. With `pathBytes` the file is the one
 * with that raw name, never a look-alike whose lossy name is the same.
 */
export function assertIndexedTextFile(file: FileToOpen, roots: readonly string[], dbPath: string): string {
  const { path } = file;
  const named = file.pathBytes === undefined ? null : rawName(path, file.pathBytes, roots);
  const real = named === null ? assertIndexedFile(path, roots) : named.real;
  const root = named?.root ?? roots.find((candidate) => isInside(candidate, real));
  if (root === undefined) {
    // assertIndexedFile found the file inside a root; this is for the types.
    throw new AppError('bad_request', `Only files of an indexed repository can be opened: ${path}`);
  }
  const relativePath = named?.relativePath ?? relative(root, real).split(sep).join('/');
  const db = openConnection(dbPath, { mode: 'reader' });
  try {
    const state = db
      .prepare('SELECT f.state FROM files f JOIN repositories r ON r.id = f.repo_id WHERE r.root = ? AND f.path = ? AND f.path_bytes = ?')
      .pluck()
      .get(root, relativePath, named?.bytes ?? Buffer.alloc(0)) as number | undefined;
    if (state !== FileState.indexed) {
      throw new AppError('bad_request', `Only files the index holds as text can be opened: ${path}`);
    }
  } finally {
    db.close();
  }
  if (named !== null) {
    // Checked and indexed, but an editor is started with names as text (Node passes arguments
    // as UTF-8 strings), so these bytes cannot reach it.
    throw new AppError('bad_request', `Cannot open a file whose name is not valid UTF-8 (shown with \uFFFD): ${path}`);
  }
  return real;
}

interface RawName {
  readonly root: string;
  /** As the index shows it: lossy, `/`-separated. */
  readonly relativePath: string;
  /** files.path_bytes. */
  readonly bytes: Buffer;
  readonly real: string;
}

/**
 * The file a result's raw name bytes stand for, checked on disk by those bytes: the shown
 * path must be their lossy form under a root, and the file a regular one inside that root.
 * Null when the bytes are UTF-8 after all (then the shown path names the file exactly).
 */
function rawName(path: string, pathBytes: string, roots: readonly string[]): RawName | null {
  const bytes = Buffer.from(pathBytes, 'base64');
  if (isUtf8(bytes)) {
    return null;
  }
  const relativePath = bytes.toString('utf8');
  const root = roots.find((candidate) => path === `${candidate}${sep}${relativePath.split('/').join(sep)}`);
  if (root === undefined) {
    throw new AppError('bad_request', `pathBytes is not the name of ${path} in an indexed repository`);
  }
  let real: Buffer;
  try {
    // The native one: fs.realpathSync resolves a Buffer path as a string first, so it would
    // find the look-alike whose name is literally the lossy form.
    real = realpathSync.native(Buffer.concat([Buffer.from(`${root}${sep}`), bytes]), { encoding: 'buffer' });
  } catch {
    throw new AppError('not_found', `File not found: ${path}`);
  }
  const lossyReal = real.toString('utf8');
  if (!isInside(root, lossyReal)) {
    throw new AppError('bad_request', `Only files of an indexed repository can be opened: ${path}`);
  }
  if (!statSync(real).isFile()) {
    throw new AppError('bad_request', `Not a file: ${path}`);
  }
  return { root, relativePath, bytes, real: lossyReal };
}
