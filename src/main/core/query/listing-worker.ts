/**
 * The listing worker's entry: the second lane of a full listing (search/listing-lanes.ts). It
 * lists the blocks it takes on its own read-only connection and posts each chunk to the
 * writing thread, waiting while a window of its bytes is still unwritten.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadonlyDatabase } from '../base/database-types';
import { openConnection } from '../db/open-connection';
import { serializeError } from '../db/reader-protocol';
import { Lane, LaneCounters, outputBytes } from '../search/listing-lanes';
import { useSearchHold } from '../search/search-budget';
import { searchControl } from '../search/search-control';
import type { FromListingWorker, ListingWorkerData } from './listing-protocol';
import { readOps } from './read-ops';

/** Longest single wait for room, so a cancel is seen even without a wake-up. */
const ROOM_POLL_MS = 1000;

function listBlocks(): void {
  const port = parentPort;
  if (port === null) {
    throw new Error('listing-worker must run in a worker thread');
  }
  const data = workerData as ListingWorkerData;
  const send = (message: FromListingWorker): void => port.postMessage(message);
  if (data.searchHold !== undefined) {
    useSearchHold(data.searchHold);
  }
  const counters = new LaneCounters(data.counters);
  let db: ReadonlyDatabase | undefined;
  try {
    db = openConnection(data.dbPath, {
      mode: 'reader',
      ...(data.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: data.busyTimeoutMs }),
      ...(data.cacheKib === undefined ? {} : { cacheKib: data.cacheKib }),
    });
    const connection = db;
    const lane = new Lane(
      data.args,
      counters,
      (args) => readOps.searchListing(connection, args, { control: searchControl({ budgetMs: data.budgetMs, cancelled: () => counters.cancelled }) }),
      data.blockFiles,
    );
    while (counters.waitForRoom(data.windowBytes, ROOM_POLL_MS)) {
      const next = lane.next();
      if (next === null) {
        break;
      }
      counters.sent(outputBytes(next.output));
      send({ type: 'chunk', ...next });
    }
    send({ type: 'end' });
  } catch (error) {
    send({ type: 'failed', error: serializeError(error) });
  } finally {
    db?.close();
    port.close();
  }
}

listBlocks();
