/**
 * Test op module (through the pool's extraOpsModules) that makes a reader hang while it
 * opens, as a thread starved or stuck at start-up would: it never answers "ready". Only the
 * thread that claims the marker file `hang-on-open` next to the database hangs, so a test
 * decides how many opens hang by creating the marker again.
 */
import { renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { threadId, workerData } from 'node:worker_threads';
import type { ReaderWorkerData } from './reader-protocol';

const marker = join(dirname((workerData as ReaderWorkerData).dbPath), 'hang-on-open');

/** Claims the marker; true for exactly one thread per marker created. */
function claimMarker(): boolean {
  try {
    renameSync(marker, `${marker}.${threadId}`);
    return true;
  } catch {
    return false;
  }
}

if (claimMarker()) {
  // Blocks this thread for good; only terminate() ends it.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

export const ops = {};
