import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/** Virtual memory size of this process in bytes, from the OS (Linux: /proc/self/status VmSize). */
export function readVmSize(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const match = /^VmSize:\s+(\d+)\s+kB$/m.exec(status);
    if (match?.[1] !== undefined) return Number(match[1]) * 1024;
  } catch {
    // Not Linux: fall through.
  }
  // Elsewhere Node exposes no VM size; RSS is the closest honest lower bound.
  return process.memoryUsage.rss();
}

/** RSS as a percent of total system memory. */
export function rssPercent(rss: number): number {
  return (rss / totalmem()) * 100;
}

export const toMb = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/** The RSS at which `memory_alert` fires: ALERT_PERCENT of MEMORY_LIMIT_MB, or of system memory when the limit is 0. */
export function alertLevelBytes(limitMb: number, alertPercent: number, systemBytes: number = totalmem()): number {
  const limitBytes = limitMb === 0 ? systemBytes : limitMb * 1024 * 1024;
  return Math.round((limitBytes * alertPercent) / 100);
}
