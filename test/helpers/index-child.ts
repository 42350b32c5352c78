/**
 * Indexes a folder in this process and prints "committed" after the first batch, so a test
 * can kill it (kill -9) in the middle of a run. Usage: index-child.ts DB ROOT [RUN_BUFFER_BYTES]
 * (default 1: a segment per batch, so files are complete as soon as their batch commits).
 */
import { indexInProcess, openWriter } from './index-in-process';

const [dbPath, root, bufferBytes] = process.argv.slice(2);
if (dbPath === undefined || root === undefined) {
  throw new Error('usage: index-child.ts DB ROOT');
}
const db = openWriter(dbPath);
let announced = false;
indexInProcess(
  db,
  root,
  { maxDocumentsPerBatch: 2, runBufferBytes: Number(bufferBytes ?? '1') },
  {
    onProgress: (progress) => {
      if (!announced && progress.filesDone > 0) {
        announced = true;
        process.stdout.write('committed\n');
      }
    },
  },
);
process.stdout.write('finished\n');
