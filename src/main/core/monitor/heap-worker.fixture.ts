/**
 * A worker thread for the monitor's tests: it holds `workerData.retainBytes` of strings on
 * its heap and answers `{ type: 'heap', id }` with `readOwnHeap()`, the way the pool's and
 * the indexer's workers are meant to.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readOwnHeap } from './worker-heaps';

/** A name only this worker's heap holds, so a test can tell whose snapshot it reads. */
class HeapWorkerFixtureMarker {
  readonly createdAt = Date.now();
}
const marker = new HeapWorkerFixtureMarker();
const retained: number[][] = [];
const retainBytes = (workerData as { retainBytes?: number } | undefined)?.retainBytes ?? 0;
for (let bytes = 0; bytes < retainBytes; bytes += 1024 * 16) {
  // 2048 unboxed doubles = 16 KiB on the worker's heap.
  retained.push(new Array<number>(2048).fill(bytes + 0.5));
}

parentPort?.on('message', (message: { type: string; id: number }) => {
  if (message.type === 'heap') {
    parentPort?.postMessage({ type: 'heap', id: message.id, heap: readOwnHeap(), retained: retained.length, marker: marker.createdAt > 0 });
  }
});
parentPort?.postMessage({ type: 'ready' });
