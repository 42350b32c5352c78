/** Helpers for the monitor's tests and the memory-leak suite; nothing in the app imports this. */
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import type { HeapFigures } from './worker-heaps';

/** A full GC even without --expose-gc: the flag is switched on and gc taken from a fresh context. */
export function forceGc(): () => void {
  const exposed = globalThis.gc;
  if (typeof exposed === 'function') return () => void exposed();
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const fixture = join(__dirname, 'heap-worker.fixture.ts');

/** Starts the fixture worker (heap-worker.fixture.ts) and a readHeap that asks it over its message port. */
export async function startHeapWorker(retainBytes: number): Promise<{ worker: Worker; readHeap: () => Promise<HeapFigures> }> {
  const worker = new Worker(fixture, { execArgv: ['--require', 'tsx/cjs'], workerData: { retainBytes } });
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => resolve());
  });
  let next = 0;
  const readHeap = () =>
    new Promise<HeapFigures>((resolve) => {
      const id = (next += 1);
      const onMessage = (message: { type: string; id: number; heap: HeapFigures }) => {
        if (message.type === 'heap' && message.id === id) {
          worker.off('message', onMessage);
          resolve(message.heap);
        }
      };
      worker.on('message', onMessage);
      worker.postMessage({ type: 'heap', id });
    });
  return { worker, readHeap };
}
