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
