import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/** The whole process's resident memory (every thread, every allocator), in bytes. */
export interface ResidentMemory {
  readonly rss: number;
  /** Anonymous pages: heaps of every thread, malloc arenas, SQLite caches. null where the OS does not tell. */
  readonly anonymous: number | null;
  /** File-backed and shared pages: the binary, libraries, mapped files. null where the OS does not tell. */
  readonly fileBacked: number | null;
}

/** Virtual memory size and resident memory of this process, from one read of /proc/self/status (Linux). */
export function readProcessStatus(): { readonly vmSize: number; readonly resident: ResidentMemory } {
  const rss = process.memoryUsage.rss();
  let status = '';
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    // Not Linux: only the RSS is known; RSS is also the closest honest lower bound of the VM size.
  }
  const kib = (name: string): number | null => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  };
  const anonymous = kib('RssAnon');
  const file = kib('RssFile');
  const shared = kib('RssShmem');
  return {
    vmSize: kib('VmSize') ?? rss,
    resident: { rss, anonymous, fileBacked: file === null ? null : file + (shared ?? 0) },
  };
}

/** Virtual memory size of this process in bytes, from the OS (Linux: /proc/self/status VmSize). */
export function readVmSize(): number {
  return readProcessStatus().vmSize;
}

/** RSS as a percent of total system memory. */
export function rssPercent(rss: number): number {
  return (rss / totalmem()) * 100;
}

export const toMb = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;
