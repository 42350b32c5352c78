import type { RawPath } from '../files/raw-path';

/** Bytes of a path the slot keeps (PATH_MAX on Linux); a longer one is cut. */
const SLOT_PATH_BYTES = 4096;

/**
 * Where a reader thread writes the file it is reading, in memory shared with the main
 * thread: a thread that runs out of heap runs no more JavaScript, so it cannot say where it
 * was, but the main thread can still read this. Layout: an Int32 byte length (0 while the
 * thread reads nothing), then the path's bytes.
 */
export function createReadingSlot(): SharedArrayBuffer {
  return new SharedArrayBuffer(4 + SLOT_PATH_BYTES);
}

const encoder = new TextEncoder();

/** The reader's side: records `path` as the file being read, or nothing (null). */
export function recordReading(slot: SharedArrayBuffer, path: RawPath | null): void {
  const length = new Int32Array(slot, 0, 1);
  const bytes = new Uint8Array(slot, 4);
  let written = 0;
  if (typeof path === 'string') {
    written = encoder.encodeInto(path, bytes).written;
  } else if (path !== null) {
    written = Math.min(path.byteLength, bytes.length);
    bytes.set(path.subarray(0, written));
  }
  Atomics.store(length, 0, written);
}

/** The main thread's side: the file the reader was reading (its lossy text), or null. */
export function readingNow(slot: SharedArrayBuffer): string | null {
  const length = Atomics.load(new Int32Array(slot, 0, 1), 0);
  return length === 0 ? null : Buffer.from(new Uint8Array(slot, 4, length)).toString('utf8');
}
