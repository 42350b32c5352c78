/**
 * Test stand-in for the indexer's writer: a worker thread that inserts into `items` in small
 * transactions, as indexing does, until the test raises `stop` (and it has written 1,000 rows)
 * or `maxMs` pass, and reports what it wrote.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from './open-connection';

const { dbPath, maxMs, stop } = workerData as { dbPath: string; maxMs: number; stop: SharedArrayBuffer };
const stopFlag = new Int32Array(stop);
const db = openConnection(dbPath, { mode: 'writer' });
const insert = db.prepare('INSERT INTO items (value) VALUES (?)');
const batch = db.transaction((start: number) => {
  for (let index = 0; index < 50; index++) {
    insert.run(`written ${start + index}`);
  }
});
let inserted = 0;
let transactions = 0;
let busy = 0;
const deadline = performance.now() + maxMs;
while (performance.now() < deadline && !(Atomics.load(stopFlag, 0) === 1 && inserted > 1000)) {
  try {
    batch(inserted);
    inserted += 50;
    transactions++;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      busy++;
    } else {
      throw error;
    }
  }
}
db.close();
parentPort?.postMessage({ inserted, transactions, busy });
