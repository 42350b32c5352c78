import { parentPort } from 'node:worker_threads';
import type { FromIndexer, ToIndexer } from '../../src/main/core/indexer/protocol';

/**
 * Plays the indexer's writer thread up to a run: says it is ready, and on a run reports that
 * it is indexing `currentFile`, then misbehaves as `misbehave` does. Entry files for tests
 * (never-yielding-indexer.ts, out-of-memory-indexer.ts) pick the misbehaviour.
 */
export function playBrokenWriter(currentFile: string, misbehave: () => void): void {
  const port = parentPort;
  if (port === null) {
    throw new Error('a broken writer must run in a worker thread');
  }
  const send = (message: FromIndexer): void => port.postMessage(message);
  send({ type: 'ready' });
  port.on('message', (message: ToIndexer) => {
    if (message.type !== 'run') {
      return;
    }
    const progress = { phase: 'indexing', filesDiscovered: 1, walkDone: false, filesDone: 0, bytesDone: 0, mbPerSec: 0, etaSeconds: null, currentFile, skipped: {} } as const;
    send({ type: 'progress', runId: message.runId, progress, heap: { heapUsed: 0, heapTotal: 0, external: 0 } });
    // Later, so the progress message leaves first.
    setTimeout(misbehave, 50);
  });
}
