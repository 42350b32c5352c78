import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';

/**
 * A path as the file system has it: text when it is valid UTF-8, else its raw bytes (Linux
 * allows any bytes but '/' and NUL in a name). A Buffer that crossed a thread arrives as a
 * Uint8Array; Node's fs functions take both.
 */
export type RawPath = string | Uint8Array;

/** A folder entry's name as listed in buffer mode: text if it is UTF-8, else its bytes. */
export function nameOf(bytes: Buffer): RawPath {
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes;
}

/** `folder/name`, as text while both are text, else as bytes. */
export function joinRaw(folder: RawPath, name: RawPath): RawPath {
  if (typeof folder === 'string' && typeof name === 'string') {
    return join(folder, name);
  }
  return Buffer.concat([asBytes(folder), Buffer.from('/'), asBytes(name)]);
}

/** What a user sees of a path: its text, with each invalid byte shown as U+FFFD (as rg prints it). */
export function lossyText(path: RawPath): string {
  return typeof path === 'string' ? path : Buffer.from(path.buffer, path.byteOffset, path.byteLength).toString('utf8');
}

function asBytes(path: RawPath): Buffer {
  return typeof path === 'string' ? Buffer.from(path) : Buffer.from(path.buffer, path.byteOffset, path.byteLength);
}
