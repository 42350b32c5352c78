import { AppError } from '../base/errors';

/**
 * Where the next page starts, as an opaque string the client passes back. Line results
 * resume after the last line served (`file`, `line`), so page N reads on from there instead
 * of rescanning pages 1 to N-1; ranked words results resume at a rank (`offset`). Each cursor
 * names its query (a hash of the query key), so a cursor of another query is refused.
 */
export type CursorPosition = { readonly kind: 'line'; readonly file: number; readonly line: number } | { readonly kind: 'rank'; readonly offset: number };

interface Encoded {
  readonly q: string;
  readonly f?: number;
  readonly l?: number;
  readonly o?: number;
}

export function encodeCursor(queryKey: string, position: CursorPosition): string {
  const body: Encoded = position.kind === 'line' ? { q: queryHash(queryKey), f: position.file, l: position.line } : { q: queryHash(queryKey), o: position.offset };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The position a cursor names; a malformed cursor or one of another query is a bad_request. */
export function decodeCursor(queryKey: string, cursor: string): CursorPosition {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof body !== 'object' || body === null) {
    throw invalidCursor();
  }
  const { q, f, l, o } = body as Record<string, unknown>;
  if (q !== queryHash(queryKey)) {
    throw new AppError('bad_request', 'This cursor belongs to another search; start the search again without a cursor');
  }
  if (isCount(f) && isCount(l)) {
    return { kind: 'line', file: f, line: l };
  }
  if (isCount(o)) {
    return { kind: 'rank', offset: o };
  }
  throw invalidCursor();
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The error of a cursor that was not made by this search's previous page. */
export function invalidCursor(): AppError {
  return new AppError('bad_request', 'Invalid search cursor: pass the nextCursor of the previous page unchanged');
}

/** FNV-1a over the key's UTF-16 units: short, stable, and enough to tell queries apart. */
function queryHash(key: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
