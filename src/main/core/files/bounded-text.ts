import { closeSync, readSync } from 'node:fs';
import { lossyText, type RawPath } from './raw-path';
import { openRegularFile } from './regular-file';

export type BoundedText =
  | { readonly ok: true; readonly text: string }
  /** `missing`: no such file (not an error for optional files such as .gitignore or .env). */
  | { readonly ok: false; readonly missing: boolean; readonly message: string };

/** Bytes read at a time: the most held besides the text itself. */
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * Reads a small text file (an ignore file, `.env`) whole, but never more than `maxBytes`
 * bytes of it and never anything but a regular file: /dev/zero, a FIFO or a 36 MB file (and a
 * symlink unless `followSymlinks`) is refused with a message saying why, after reading at most `maxBytes + 1` bytes.
 */
export function readBoundedText(path: RawPath, maxBytes: number, options: { readonly followSymlinks?: boolean } = {}): BoundedText {
  const opened = openRegularFile(path, options);
  const shown = lossyText(path);
  if (!opened.ok) {
    const missing = opened.reason === 'unreadable' && opened.detail === 'ENOENT';
    const why =
      opened.reason === 'special_file'
        ? `it is a ${opened.detail}, not a file`
        : opened.reason === 'symlink'
          ? 'it is a symlink, which is not followed'
          : opened.detail === 'EISDIR'
            ? 'it is a folder, not a file'
            : opened.detail;
    return { ok: false, missing, message: `${shown} was not read: ${why}` };
  }
  try {
    if (opened.stats.size > maxBytes) {
      return { ok: false, missing: false, message: tooLarge(shown, maxBytes) };
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, maxBytes + 1));
    for (;;) {
      const read = readSync(opened.fd, buffer, 0, buffer.length, null);
      if (read === 0) {
        break;
      }
      total += read;
      // The size was checked, but a file can grow while it is read.
      if (total > maxBytes) {
        return { ok: false, missing: false, message: tooLarge(shown, maxBytes) };
      }
      chunks.push(Buffer.from(buffer.subarray(0, read)));
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (error) {
    return { ok: false, missing: false, message: `${shown} was not read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  } finally {
    closeSync(opened.fd);
  }
}

function tooLarge(path: string, maxBytes: number): string {
  return `${path} was not read: it is larger than ${maxBytes} bytes`;
}
