/**
 * Indexes a folder in this process with one-document batches, so segments pile up and merge,
 * prints "merging" halfway through the first merge's transaction and then stalls there, so a
 * test can kill it (kill -9) mid-merge. Usage: merge-child.ts DB ROOT
 */
import { indexInProcess, openWriter } from './index-in-process';

const [dbPath, root] = process.argv.slice(2);
if (dbPath === undefined || root === undefined) {
  throw new Error('usage: merge-child.ts DB ROOT');
}
const db = openWriter(dbPath);
indexInProcess(
  db,
  root,
  { maxDocumentsPerBatch: 1, runBufferBytes: 1 },
  {
    onMergeStep: (bucket) => {
      if (bucket === 1000) {
        process.stdout.write('merging\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);
      }
    },
  },
);
process.stdout.write('finished\n');
