/**
 * Run as its own process by malloc-trim.test.ts (RSS is a process figure): frees 40 MiB of
 * small C allocations below one that stays alive, so glibc cannot return them from the top
 * of its arena, then prints the anonymous RSS before and after `trimMalloc()` as JSON.
 */
import { readFileSync } from 'node:fs';
import { trimMalloc } from './malloc-trim';

function anonymousRss(): number {
  return Number(/^RssAnon:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
}

// Buffer.alloc takes each backing store from malloc; 16 KiB stays below the mmap threshold.
let held: Buffer[] = Array.from({ length: 2560 }, () => Buffer.alloc(16 * 1024, 1));
const pin = Buffer.alloc(16 * 1024, 2);
held = [];
globalThis.gc?.();
globalThis.gc?.();
const before = anonymousRss();
const ran = trimMalloc();
const after = anonymousRss();
process.stdout.write(JSON.stringify({ ran, before, after, held: held.length + pin.length }));
