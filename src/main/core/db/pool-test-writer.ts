/**
 * Test stand-in for the indexer's writer: a worker thread that inserts into `items` in small
 * transactions for `durationMs`, as indexing does, and reports what it wrote.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from './open-connection';

const { dbPath, durationMs } = workerData as { dbPath: string; durationMs: number };
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
const deadline = performance.now() + durationMs;
while (performance.now() < deadline) {
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
