/**
 * Gives the C allocator's free pages back to the system: glibc's `malloc_trim(0)`, through
 * koffi (a maintained FFI library with prebuilt binaries for Node and Electron, so no native
 * build of our own). glibc returns freed memory only from the top of each arena; pages freed
 * below a live allocation stay resident. After a search burst that left the main arena at
 * 45 MB of RSS holding little live data (SQLite pages, document Buffers and message buffers
 * of closed readers), nothing else in the process could return them.
 */
import { createRequire } from 'node:module';

type Trim = (pad: number) => number;

let trim: Trim | null | undefined;

function loadTrim(): Trim | null {
  if (process.platform !== 'linux') return null;
  try {
    // Loaded lazily: the CLI's one-shot commands never pay for it.
    const koffi = createRequire(import.meta.url)('koffi') as { load(path: string): { func(signature: string): Trim } };
    return koffi.load('libc.so.6').func('int malloc_trim(size_t pad)');
  } catch {
    // Another C library (musl) or no prebuilt binary: the other levers still run.
    return null;
  }
}

/** Runs malloc_trim(0) where the C library has it; returns whether it ran. */
export function trimMalloc(): boolean {
  if (trim === undefined) trim = loadTrim();
  if (trim === null) return false;
  trim(0);
  return true;
}
