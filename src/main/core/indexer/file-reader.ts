import { closeSync, fstatSync, readSync } from 'node:fs';
import type { SkipReason } from '../../../shared/types';
import type { RawPath } from '../files/raw-path';
import { errorCode, openRegularFile } from '../files/regular-file';

/** Bytes inspected for a NUL byte to call a file binary (as the issue and git do). */
export const BINARY_PROBE_BYTES = 8192;

export type ReadOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: SkipReason; readonly detail: string | null };

/**
 * Streams one file through `onText` in chunks of `chunkSize` bytes, decoding UTF-8 lossily
 * (invalid bytes become U+FFFD; a sequence cut by a chunk boundary is kept whole). Only a
 * regular file is opened (never through a symlink, never a FIFO or device). The first 8 KB are checked for a NUL byte before any text is handed on, so a binary file produces
 * nothing. A file whose size or mtime changes while it is read is reported as such.
 */
export function streamFile(absolute: RawPath, expected: { size: number; mtimeMs: number }, chunkSize: number, buffer: Buffer, onText: (text: string) => void): ReadOutcome {
  const opened = openRegularFile(absolute);
  if (!opened.ok) {
    return opened;
  }
  const fd = opened.fd;
  try {
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const probe = Buffer.allocUnsafe(Math.min(BINARY_PROBE_BYTES, Math.max(expected.size, 1)));
    let probed = 0;
    while (probed < probe.length) {
      const read = readSync(fd, probe, probed, probe.length - probed, null);
      if (read === 0) {
        break;
      }
      probed += read;
    }
    if (probe.subarray(0, probed).includes(0)) {
      return { ok: false, reason: 'binary', detail: 'NUL byte in the first 8 KB' };
    }
    let total = probed;
    if (probed > 0) {
      onText(decoder.decode(probe.subarray(0, probed), { stream: true }));
    }
    const size = Math.min(chunkSize, buffer.length);
    for (;;) {
      const read = readSync(fd, buffer, 0, size, null);
      if (read === 0) {
        break;
      }
      total += read;
      if (total > expected.size) {
        return { ok: false, reason: 'changed_while_reading', detail: 'the file grew while it was read' };
      }
      onText(decoder.decode(buffer.subarray(0, read), { stream: true }));
    }
    const tail = decoder.decode();
    if (tail.length > 0) {
      onText(tail);
    }
    const after = fstatSync(fd);
    if (total !== expected.size || after.size !== expected.size || Math.trunc(after.mtimeMs) !== expected.mtimeMs) {
      return { ok: false, reason: 'changed_while_reading', detail: 'the file changed while it was read' };
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: errorCode(error) };
  } finally {
    closeSync(fd);
  }
}
