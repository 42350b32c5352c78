/**
 * A reader thread of one indexing run: reads the chunks of files the writer sends on its
 * port into batches (documents and trigram postings) and posts them back, bumping the
 * shared counter the writer sleeps on. It never touches the database.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { readOwnHeap, type HeapReply, type HeapRequest } from '../monitor/worker-heaps';
import { BatchBuilder, type Batch } from './batch-builder';
import type { FromReader, ToReader } from './batch-source';
import type { ReaderWorkerData } from './protocol';
import { recordReading } from './reading-slot';

const data = workerData as ReaderWorkerData;
const port: MessagePort = data.port;
const signal = new Int32Array(data.signal);

function post(message: FromReader, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

const builder = new BatchBuilder(data.settings, (batch: Batch) => {
  const { postings, files, units, text } = batch;
  post({ type: 'batch', batch }, [
    postings.buckets.buffer as ArrayBuffer,
    postings.ends.buffer as ArrayBuffer,
    postings.bytes.buffer as ArrayBuffer,
    files.buffer as ArrayBuffer,
    units.buffer as ArrayBuffer,
    text.buffer as ArrayBuffer,
  ]);
});

// The monitor asks for this thread's heap on its parent port; it is answered between chunks.
parentPort?.on('message', (message: HeapRequest) => {
  if (message.type === 'heap') {
    parentPort?.postMessage({ type: 'heap', heap: readOwnHeap() } satisfies HeapReply);
  }
});

port.on('message', (message: ToReader) => {
  try {
    // Recorded where the main thread can read it even if this thread dies of its heap.
    builder.addChunk(message.chunk, (job) => recordReading(data.reading, job.absolute));
  } catch (error) {
    // Counted like a batch so the writer wakes up and sees the failure.
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  } finally {
    recordReading(data.reading, null);
  }
});
