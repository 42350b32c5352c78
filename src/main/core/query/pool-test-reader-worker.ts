/**
 * Test-only reader worker entry (never bundled): the production ops plus the test ops of
 * `pool-test-ops.ts`. It also hangs while it opens, as a thread starved or stuck at start-up
 * would (it never answers "ready"), when it claims the marker file `hang-on-open` next to the
 * database: only one thread claims each marker, so a test decides how many opens hang.
 */
import { renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { threadId, workerData } from 'node:worker_threads';
import type { ReaderWorkerData } from '../db/reader-protocol';
import { ops } from './pool-test-ops';
import { readerOps } from './reader-ops';
import { serveReader } from './reader-service';

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

serveReader({ ...readerOps, ...ops });
