import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** True when the process was started with --expose-gc (Electron and the CLI are). */
export function canCollectGarbage(): boolean {
  return typeof globalThis.gc === 'function';
}

/** Runs a full, synchronous garbage collection where GC is exposed; returns whether it ran. */
export function collectGarbage(): boolean {
  if (typeof globalThis.gc !== 'function') return false;
  globalThis.gc();
  return true;
}

let ownCollector: (() => void) | undefined;

/**
 * A full GC in a worker thread, whatever flags its process was started with: the cleanup must
 * collect every thread's heap, and a worker cannot be given --expose-gc (V8 flags are
 * per-process). The flag is switched on and gc taken from a fresh context, once per thread,
 * as the CLI and the Electron main do for the main thread.
 */
export function collectWorkerGarbage(): void {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    return;
  }
  if (ownCollector === undefined) {
    setFlagsFromString('--expose-gc');
    ownCollector = runInNewContext('gc') as () => void;
  }
  ownCollector();
}
